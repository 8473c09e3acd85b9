/**
 * Flow lint, in two layers: lib/flows/archy/ is the generic Archy layer (any flow, any flow type), and
 * wfmHrisLayer.ts adds this product's WFM HRIS rules for its five workflows. This module is the entry point the
 * stack loader and tests use.
 */
export type { CallableAction } from "./archy/actions";
export { callableAction, loadCallableActions } from "./archy/actions";
export { FAILURE_OUTPUTS } from "./archy/failureOutputs";
export type { ArchyLintInput } from "./archy/lint";
export { lintArchyFlow } from "./archy/lint";
export type { FlowLintInput, LintedFlow } from "./wfmHrisLayer";
export { lintWfmHrisWorkflow as lintFlow } from "./wfmHrisLayer";
