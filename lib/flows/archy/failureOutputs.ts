/**
 * The failure outputs Architect offers on a Call Data Action: every `failureOutputs:` block in Genesys-authored
 * Archy YAML (56 callData blocks across the GenesysCloudBlueprints repositories, e.g. callback-prioritization
 * terraform/Callback-Prioritization-Workflow.yaml L146-172) lists exactly these 13. The flattened error schema
 * also has `errors`, but Architect never offers it as a binding, so a flow cannot read it.
 */
export const FAILURE_OUTPUTS: readonly string[] = [
  "errorCode",
  "status",
  "correlationId",
  "entityId",
  "entityName",
  "userMessage",
  "userParamsMessage",
  "userParams.key",
  "userParams.value",
  "details.errorCode",
  "details.fieldName",
  "details.entityId",
  "details.entityName",
];

/** Outputs of a Call Data Action (the success, failure and timeout paths). */
export const CALL_DATA_OUTPUTS: readonly string[] = ["success", "failure", "timeout"];
