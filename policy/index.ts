import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// pulumi preview --policy-pack policy --policy-pack-config policy/config.<customer>.json
new PolicyPack("wfm-hris", { policies });
