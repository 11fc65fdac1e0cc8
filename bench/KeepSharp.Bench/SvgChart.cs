using System.Globalization;
using System.Net;
using System.Text;

namespace KeepSharp.Bench;

/// <summary>
/// A tiny grouped bar chart as SVG (no plotting library: the charts are a few bars, and SVG diffs well in git): categories
/// along x, one bar per series in each, the value printed above each bar, an optional dashed reference line (a target).
/// </summary>
public static class SvgChart
{
    public sealed record Series(string Name, string Color, IReadOnlyList<double?> Values);

    public static string Grouped(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series,
        double? reference = null, string? referenceLabel = null, string valueFormat = "0.#")
    {
        const int left = 64, right = 16, top = 44, bottom = 96;
        int groupWidth = Math.Max(70, 22 * series.Count + 30);
        int plotW = Math.Max(360, categories.Count * groupWidth), plotH = 240;
        int width = left + plotW + right, height = top + plotH + bottom;
        double max = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        if (reference is { } r) max = Math.Max(max, r);
        double step = NiceStep(max <= 0 ? 1 : max / 5);
        double yMax = Math.Max(step, Math.Ceiling(max * 1.08 / step) * step);
        double Y(double v) => top + plotH - v / yMax * plotH;
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(c, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(c, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>\n");
        for (double v = 0; v <= yMax + step / 2; v += step)
        {
            double y = Y(v);
            sb.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e0e0e0\"/>\n");
            sb.Append(c, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{v.ToString("0.###", c)}</text>\n");
        }
        sb.Append(c, $"<text transform=\"translate(14,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{E(yLabel)}</text>\n");
        int slot = plotW / Math.Max(1, categories.Count);
        int barW = Math.Min(28, (slot - 16) / Math.Max(1, series.Count));
        for (int i = 0; i < categories.Count; i++)
        {
            double gx = left + i * slot + (slot - barW * series.Count) / 2.0;
            for (int s = 0; s < series.Count; s++)
            {
                double x = gx + s * barW;
                if (i >= series[s].Values.Count || series[s].Values[i] is not { } v)
                {
                    sb.Append(c, $"<text x=\"{x + barW / 2.0:0.#}\" y=\"{top + plotH - 4}\" text-anchor=\"middle\" fill=\"#999\" font-size=\"9\">n/a</text>\n");
                    continue;
                }
                double y = Y(Math.Min(v, yMax));
                sb.Append(c, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barW - 2}\" height=\"{top + plotH - y:0.#}\" fill=\"{series[s].Color}\"><title>{E(series[s].Name)} {E(categories[i])}: {v.ToString(valueFormat, c)}</title></rect>\n");
                sb.Append(c, $"<text x=\"{x + (barW - 2) / 2.0:0.#}\" y=\"{y - 3:0.#}\" text-anchor=\"middle\" font-size=\"9\">{v.ToString(valueFormat, c)}</text>\n");
            }
            double cx = left + i * slot + slot / 2.0;
            sb.Append(c, $"<text transform=\"translate({cx:0.#},{top + plotH + 12}) rotate(30)\" text-anchor=\"start\">{E(categories[i])}</text>\n");
        }
        sb.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n");
        if (reference is { } rv)
        {
            double y = Y(rv);
            sb.Append(c, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#c00\" stroke-dasharray=\"6 4\"/>\n");
            if (referenceLabel is not null)
                sb.Append(c, $"<text x=\"{left + plotW - 4}\" y=\"{y - 4:0.#}\" text-anchor=\"end\" fill=\"#c00\">{E(referenceLabel)}</text>\n");
        }
        for (int s = 0; s < series.Count; s++)
        {
            int lx = left + s * 130;
            sb.Append(c, $"<rect x=\"{lx}\" y=\"28\" width=\"10\" height=\"10\" fill=\"{series[s].Color}\"/><text x=\"{lx + 14}\" y=\"37\">{E(series[s].Name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static double NiceStep(double raw)
    {
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
