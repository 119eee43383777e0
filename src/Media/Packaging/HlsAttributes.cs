using System.Text;

namespace Recording.Media.Packaging;

/// <summary>Reads HLS attribute lists (KEY=value,KEY="quoted, with commas").</summary>
public static class HlsAttributes
{
    public static Dictionary<string, string> Parse(string list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < list.Length)
        {
            var equals = list.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = list[i..equals].Trim();
            var value = new StringBuilder();
            i = equals + 1;
            if (i < list.Length && list[i] == '"')
            {
                var close = list.IndexOf('"', i + 1);
                value.Append(list, i + 1, close - i - 1);
                i = close + 1;
            }
            else
            {
                while (i < list.Length && list[i] != ',')
                {
                    value.Append(list[i++]);
                }
            }

            result[key] = value.ToString();
            if (i < list.Length && list[i] == ',')
            {
                i++;
            }
        }

        return result;
    }
}
