/**
 * Every variable kind Architect has. Architect Scripting documents one variable class per data type
 * (MyPureCloud/purecloud-flow-scripting-api-sdk-javascript docs/ArchVariable<Type>.html, commit a8d8a5d7), and
 * Archy names the YAML declaration after it: `<type>Variable`, `<type>CollectionVariable` (e.g. `stringVariable`,
 * `stringCollectionVariable`, `dateTimeVariable`, `externalContactVariable`, `agentScorePairCollectionVariable`, all
 * in Genesys-authored flows). The list is data: the Scripting docs' class names, in order.
 */
const ARCH_VARIABLE_TYPES = [
  "AgentScorePair", "AgentScorePairCollection", "AssignedCustomerIntent", "AssignedCustomerIntentCollection", "Boolean", "BooleanCollection",
  "Card", "CardCollection", "Carousel", "Choice", "ChoiceCollection", "Chooser", "ChooserCollection", "Communication", "CommunicationCollection",
  "Currency", "CurrencyCollection", "CustomerIntent", "CustomerIntentCollection", "Date", "DateCollection", "DateTime", "DateTimeCollection",
  "Decimal", "DecimalCollection", "Duration", "DurationCollection", "EmailAddress", "EmailAddressCollection", "EmergencyGroup",
  "EmergencyGroupCollection", "ExternalContact", "ExternalContactCollection", "ExternalOrganization", "ExternalOrganizationCollection",
  "Grammar", "GrammarCollection", "Group", "GroupCollection", "Image", "ImageCollection", "Integer", "IntegerCollection", "JourneyOutcome",
  "JourneyOutcomeCollection", "JourneyOutcomeScore", "JourneyOutcomeScoreCollection", "JourneySegment", "JourneySegmentCollection",
  "JourneySession", "JourneySessionCollection", "Json", "JsonCollection", "KnowledgeBaseDocument", "KnowledgeBaseDocumentCollection",
  "LanguageSkill", "LanguageSkillCollection", "LineItem", "LineItemCollection", "ListPicker", "ListPickerItem", "ListPickerItemCollection",
  "ListPickerSection", "ListPickerSectionCollection", "PhoneNumber", "PhoneNumberCollection", "Prompt", "PromptCollection", "Queue",
  "QueueCollection", "QuickReplies", "Recording", "Schedule", "ScheduleCollection", "ScheduleGroup", "ScheduleGroupCollection", "Settings",
  "ShippingOption", "ShippingOptionCollection", "Skill", "SkillCollection", "String", "StringCollection", "SurveyAnswerOption",
  "SurveyAnswerOptionCollection", "SurveyForm", "SurveyQuestion", "SurveyQuestionCollection", "SurveyQuestionGroup",
  "SurveyQuestionGroupCollection", "Time", "TimeCollection", "TimePicker", "Timeslot", "TimeslotCollection", "User", "UserCollection",
  "UtilizationLabel", "UtilizationLabelCollection", "Video", "VideoCollection", "VoiceSnippet", "Workbin", "WorkbinCollection", "Workitem",
  "WorktypeStatus", "WorktypeStatusCollection", "WrapupCode", "WrapupCodeCollection",
];

export interface VariableKind {
  /** Architect data type of one element, lower camel case: string, integer, dateTime, externalContact, ... */
  type: string;
  collection: boolean;
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/** YAML declaration key (`stringCollectionVariable`) → data type and whether it is a collection. */
export const VARIABLE_KINDS: ReadonlyMap<string, VariableKind> = new Map(
  ARCH_VARIABLE_TYPES.map((t) => {
    const collection = t.endsWith("Collection");
    return [`${lowerFirst(t)}Variable`, { type: lowerFirst(collection ? t.slice(0, -"Collection".length) : t), collection }];
  }),
);
