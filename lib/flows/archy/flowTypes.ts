/**
 * The top-level key of an Archy YAML file names the flow type. Keys seen in Genesys-authored flows are listed with
 * the file that shows them; the rest are Architect's flow types (Architect Scripting `ArchEnums.FLOW_TYPES`,
 * MyPureCloud/purecloud-flow-scripting-api-sdk-javascript docs/types.d.ts) in the same camel case, accepted so that
 * the lint never rejects a flow type Archy has. The `startUpRef` of a flow points into the same root.
 */
export interface FlowTypeInfo {
  /** A Genesys-authored file using this root key, or the Architect Scripting flow type it corresponds to. */
  source: string;
}

export const FLOW_TYPES: Readonly<Record<string, FlowTypeInfo>> = {
  workflow: { source: "GenesysCloudBlueprints/callback-prioritization terraform/Callback-Prioritization-Workflow.yaml" },
  inboundCall: { source: "MyPureCloud/terraform-provider-genesyscloud examples/resources/genesyscloud_flow/inboundcall_flow_example.yaml" },
  inboundEmail: { source: "MyPureCloud/terraform-provider-genesyscloud examples/resources/genesyscloud_flow/inboundcall_flow_example3.yaml" },
  inboundShortMessage: { source: "MyPureCloud/terraform-provider-genesyscloud examples/resources/genesyscloud_flow/inboundmessage_flow_example.yaml" },
  inqueueCall: { source: "MyPureCloud/terraform-provider-genesyscloud examples/resources/genesyscloud_flow/inqueuecall_default_example.yaml" },
  outboundCall: { source: "MyPureCloud/terraform-provider-genesyscloud examples/resources/genesyscloud_flow/outboundcall_flow_example.yaml" },
  commonModule: { source: "GenesysCloudBlueprints/send-message-transcript-by-email terraform/modules/flow/resolve-contact.yaml" },
  botFlow: { source: "GenesysCloudBlueprints/scheduling-bot-blueprint modules/schedulingbot-flow/SchedulingBot.yaml" },
  // Architect flow types without a public Archy YAML example: the key is the ArchEnums.FLOW_TYPES name.
  digitalBotFlow: { source: "ArchEnums.FLOW_TYPES digitalBot (the key follows botFlow)" },
  inboundChat: { source: "ArchEnums.FLOW_TYPES inboundChat" },
  inqueueEmail: { source: "ArchEnums.FLOW_TYPES inqueueEmail" },
  inqueueShortMessage: { source: "ArchEnums.FLOW_TYPES inqueueShortMessage" },
  secureCall: { source: "ArchEnums.FLOW_TYPES secureCall" },
  surveyInvite: { source: "ArchEnums.FLOW_TYPES surveyInvite" },
  voice: { source: "ArchEnums.FLOW_TYPES voice" },
  voiceSurvey: { source: "ArchEnums.FLOW_TYPES voiceSurvey" },
  voicemail: { source: "ArchEnums.FLOW_TYPES voicemail" },
  workitem: { source: "ArchEnums.FLOW_TYPES workitem" },
  emailSend: { source: "ArchEnums.FLOW_TYPES emailSend" },
};
