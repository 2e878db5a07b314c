using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

/// <summary>Durations are read in English or in Vietnamese, as a Vietnamese administrator writes them.</summary>
public sealed class DurationParsingTests
{
    [Theory]
    [InlineData("5 ngày làm việc", "5 working days")]
    [InlineData("4 giờ làm việc", "4 working hours")]
    [InlineData("15 ngày", "15 days")]
    [InlineData("0,5 ngày làm việc", "0.5 working days")]
    [InlineData("3.5 giờ làm việc", "3.5 working hours")]
    [InlineData("  2   Ngày Làm Việc ", "2 working days")]
    public void Vietnamese_durations_mean_the_same_as_their_english_form(string vietnamese, string english)
    {
        Duration.TryParse(vietnamese, out var duration, out var error).ShouldBeTrue(error);

        duration.ShouldBe(Duration.Parse(english));
    }

    [Fact]
    public void A_duration_typed_with_decomposed_diacritics_is_read_like_the_composed_one()
    {
        var decomposed = "5 ngày làm việc".Normalize(System.Text.NormalizationForm.FormD);

        Duration.Parse(decomposed).ShouldBe(Duration.WorkingDays(5));
    }

    [Theory]
    [InlineData("5 ngày làm", "unknown duration unit 'ngày làm'")]
    [InlineData("1,5 ngày", "calendar days must be a whole number")]
    [InlineData("0,3 giờ làm việc", "the amount must be a multiple of 0.5")]
    public void A_wrong_vietnamese_duration_is_refused_with_the_reason(string text, string reason)
    {
        Duration.TryParse(text, out _, out var error).ShouldBeFalse();

        error.ShouldNotBeNull().ShouldContain(reason);
    }
}
