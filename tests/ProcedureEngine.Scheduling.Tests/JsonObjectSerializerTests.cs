using System.Text;
using ProcedureEngine.Scheduling;
using Quartz;

namespace ProcedureEngine.Scheduling.Tests;

public class JsonObjectSerializerTests
{
    private readonly JsonObjectSerializer serializer = new();

    [Fact]
    public void Job_data_round_trips_strings_numbers_booleans_and_instants()
    {
        var due = new DateTimeOffset(2026, 5, 19, 9, 0, 0, TimeSpan.FromHours(7));
        var map = new JobDataMap
        {
            ["dossierId"] = "000.00.07.H13-260424-0001",
            ["attempt"] = 3,
            ["breach"] = true,
            ["dueAt"] = due,
            ["score"] = 4.5m,
        };

        var back = serializer.DeSerialize<JobDataMap>(serializer.Serialize(map));

        back.GetString("dossierId").ShouldBe("000.00.07.H13-260424-0001");
        back["attempt"].ShouldBe(3L);
        back["breach"].ShouldBe(true);
        DateTimeOffset.Parse(back.GetString("dueAt")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(due);
        back["score"].ShouldBe(4.5m);
    }

    [Fact]
    public void Serialized_job_data_is_readable_json_with_diacritics_preserved()
    {
        var map = new JobDataMap { ["agency"] = "Sở Xây dựng" };

        var back = serializer.DeSerialize<JobDataMap>(serializer.Serialize(map));

        back.GetString("agency").ShouldBe("Sở Xây dựng");
    }

    [Fact]
    public void Objects_other_than_job_data_maps_are_refused_with_their_type_named()
    {
        var error = Should.Throw<NotSupportedException>(() => serializer.Serialize(new List<int> { 1 }));
        error.Message.ShouldContain("List");
    }

    [Fact]
    public void Complex_job_data_values_are_refused_naming_the_key()
    {
        var map = new JobDataMap { ["payload"] = new Uri("http://127.0.0.1/") };

        var error = Should.Throw<NotSupportedException>(() => serializer.Serialize(map));
        error.Message.ShouldContain("payload");
    }

    [Fact]
    public void Corrupted_job_data_gives_a_clear_error_instead_of_garbage()
    {
        var error = Should.Throw<InvalidOperationException>(() => serializer.DeSerialize<JobDataMap>(Encoding.UTF8.GetBytes("{\"$type\":\"JobDataMap\",\"values\":")));
        error.Message.ShouldContain("not valid JSON");

        Should.Throw<InvalidOperationException>(() => serializer.DeSerialize<JobDataMap>(Encoding.UTF8.GetBytes("{\"other\":1}")))
            .Message.ShouldContain("not a ProcedureEngine job data map");
    }
}
