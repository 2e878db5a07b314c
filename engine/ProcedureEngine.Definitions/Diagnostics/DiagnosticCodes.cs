namespace ProcedureEngine.Definitions.Diagnostics;

/// <summary>
/// Stable diagnostic codes. The table in docs/diagnostics.md lists every one of them; a test
/// keeps the two in step. Never reuse or renumber a code: scripts and people grep for them.
/// </summary>
public static class DiagnosticCodes
{
    // File and YAML syntax
    public const string YamlSyntax = "PE001";
    public const string DuplicateKey = "PE002";
    public const string EmptyFile = "PE003";
    public const string NotText = "PE004";
    public const string TooLarge = "PE005";
    public const string TooDeep = "PE006";
    public const string AliasOrTag = "PE007";
    public const string MultipleDocuments = "PE008";
    public const string NotAMapping = "PE009";

    // Shape of the document
    public const string UnknownKey = "PE010";
    public const string MissingKey = "PE011";

    // Steps graph
    public const string UnknownPredecessor = "PE012";
    public const string Cycle = "PE013";
    public const string FirstStep = "PE014";
    public const string UnreachableStep = "PE015";
    public const string DuplicateId = "PE016";
    public const string UnknownAgency = "PE017";
    public const string NoOneStopAgency = "PE018";
    public const string UnknownDocument = "PE019";

    // Values
    public const string WrongType = "PE020";
    public const string InvalidValue = "PE021";
    public const string InvalidDate = "PE022";
    public const string InvalidDuration = "PE023";
    public const string CodeFormat = "PE024";
    public const string InvalidVersion = "PE025";
    public const string EffectiveRange = "PE026";
    public const string Empty = "PE027";
    public const string InvalidId = "PE028";

    // Conditions
    public const string UnknownInput = "PE030";
    public const string ConditionValueType = "PE031";
    public const string MalformedCondition = "PE032";
    public const string InvalidEnumValues = "PE033";

    // Time limits
    public const string LongestPathExceedsLimit = "PE035";
    public const string MixedUnits = "PE036";
    public const string CaseLongerThanLimit = "PE037";
    public const string CasesOverlap = "PE038";
    public const string CaseNeverApplies = "PE039";

    // Definition vs its surroundings (catalogue)
    public const string UnknownField = "PE040";
    public const string NoFieldsFile = "PE041";
    public const string AgencyMismatch = "PE042";
    public const string UnknownCalendar = "PE043";

    // Cross-file rules
    public const string DuplicateVersion = "PE050";
    public const string OverlappingVersions = "PE051";
    public const string OverlayUnknownProcedure = "PE052";
    public const string OverlayUnknownStep = "PE053";
    public const string OverlayLengthens = "PE054";
    public const string OverlayJurisdictionFolder = "PE055";
    public const string OverlayUnitMismatch = "PE056";
    public const string OverlappingOverlays = "PE057";
    public const string OverlayOutsideVersions = "PE058";

    // File placement
    public const string SchemaLine = "PE071";
    public const string CodeFileName = "PE072";
}
