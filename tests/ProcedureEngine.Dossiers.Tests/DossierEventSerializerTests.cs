using System.Text;
using System.Text.Json.Nodes;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;

namespace ProcedureEngine.Dossiers.Tests;

public class DossierEventSerializerTests
{
    private static readonly string[] ContractNames =
    [
        "DossierReceived", "DossierRefused", "SupplementRequested", "SupplementProvided", "StepStarted",
        "StepCompleted", "StepSkipped", "DeadlineWarning", "StepOverdue", "DossierOverdue", "ApologyIssued",
        "ResultReady", "ResultReturned", "DossierWithdrawn", "DossierClosed", "DossierEvaluated",
    ];

    [Fact]
    public void Every_contract_event_name_is_a_serializable_type()
    {
        foreach (var name in ContractNames)
        {
            DossierEventSerializer.TypeNames.ShouldContain(name);
        }

        EventSamples.All().Select(e => e.Type).ShouldBe(DossierEventSerializer.TypeNames, ignoreOrder: true);
    }

    [Fact]
    public void Every_event_round_trips_to_identical_json()
    {
        foreach (var e in EventSamples.All())
        {
            var (type, json) = DossierEventSerializer.Default.Serialize(e);
            type.ShouldBe(e.GetType().Name);
            var back = DossierEventSerializer.Default.Deserialize(type, json);
            back.GetType().ShouldBe(e.GetType());
            back.At.ShouldBe(e.At);
            Encoding.UTF8.GetString(DossierEventSerializer.Default.Serialize(back).Json).ShouldBe(Encoding.UTF8.GetString(json));
        }
    }

    [Fact]
    public void Json_is_camel_case_with_offsets_and_enum_names_and_no_type_inside()
    {
        var received = EventSamples.All().OfType<DossierReceived>().Single();
        var text = Encoding.UTF8.GetString(DossierEventSerializer.Default.Serialize(received).Json);
        text.ShouldContain("\"dossierCode\":\"000.00.07.H13-260424-0001\"");
        text.ShouldContain("\"at\":\"2026-04-24T09:00:00+07:00\"");
        text.ShouldContain("\"channel\":\"counter\"");
        text.ShouldContain("Nguyễn Văn A");
        System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject().ContainsKey("type").ShouldBeFalse(text);
    }

    [Fact]
    public void Unknown_type_is_a_clear_format_error()
    {
        var ex = Should.Throw<DossierEventFormatException>(() => DossierEventSerializer.Default.Deserialize("DossierTeleported", "{}"u8));
        ex.Message.ShouldContain("DossierTeleported");
    }

    [Fact]
    public void Malformed_json_is_a_format_error_naming_the_type()
    {
        var ex = Should.Throw<DossierEventFormatException>(() => DossierEventSerializer.Default.Deserialize("StepStarted", "{\"at\":"u8));
        ex.Message.ShouldContain("StepStarted");
    }

    [Fact]
    public void Upcaster_turns_an_old_type_and_shape_into_the_current_event()
    {
        // A hypothetical v0 name and field spelling, chained through two upcasters.
        var serializer = new DossierEventSerializer(
        [
            new EventUpcaster("StepBegan.v0", o => ("StepBegan.v1", new JsonObject { ["at"] = o["time"]!.DeepClone(), ["step"] = o["step"]!.DeepClone(), ["agency"] = "so-xay-dung", ["due"] = o["due"]!.DeepClone() })),
            new EventUpcaster("StepBegan.v1", o => ("StepStarted", new JsonObject { ["at"] = o["at"]!.DeepClone(), ["stepId"] = o["step"]!.DeepClone(), ["agency"] = o["agency"]!.DeepClone(), ["dueAt"] = o["due"]!.DeepClone() })),
        ]);
        var old = "{\"time\":\"2024-03-01T08:00:00+07:00\",\"step\":\"appraise\",\"due\":\"2024-03-05T08:00:00+07:00\"}"u8;

        var e = serializer.Deserialize("StepBegan.v0", old).ShouldBeOfType<StepStarted>();

        e.StepId.ShouldBe("appraise");
        e.Agency.ShouldBe("so-xay-dung");
        e.DueAt.ShouldBe(new DateTimeOffset(2024, 3, 5, 8, 0, 0, TimeSpan.FromHours(7)));
    }
}
