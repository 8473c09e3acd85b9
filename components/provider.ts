/**
 * The plugin's entry point (package.json `main`): the Pulumi language host runs it for `pulumi package add` and for
 * programs using the components from another language. It serves the components until the engine stops it.
 */
import { main } from "@pulumi/pulumi/provider";
import { WfmHrisComponentProvider } from "./componentProvider";

void main(new WfmHrisComponentProvider(), process.argv.slice(2));
