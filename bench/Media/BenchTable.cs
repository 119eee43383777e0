using System.Globalization;
using System.Text;

namespace Recording.Media.Bench;

/// <summary>The rows of the result table, printed as markdown.</summary>
internal sealed class BenchTable
{
    private readonly List<(string Operation, string Measure, string Value, string Note)> rows = [];

    /// <summary>A ratio as the table prints it: "1.30x".</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public void Add(string operation, string measure, string value, string note = "")
    {
        rows.Add((operation, measure, value, note));
        Console.Error.WriteLine($"  {operation}: {measure} = {value} {note}");
    }

    public string Render()
    {
        var text = new StringBuilder("| operation | measure | value | note |\n|---|---|---|---|\n");
        foreach (var (operation, measure, value, note) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {operation} | {measure} | {value} | {note} |\n");
        }

        return text.ToString();
    }
}
