package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run's results, written as {@code <name>.json} (every figure), {@code <name>.md} (a
 * table) and {@code <name>.svg} (a bar chart of the headline figures).
 */
final class RunReport {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** A bar of the chart. */
  record Bar(String label, double value) {}

  /** A panel of the chart: bars in one unit. */
  record Panel(String title, String unit, List<Bar> bars) {}

  final String name;
  final String title;
  final Map<String, Object> figures = new LinkedHashMap<>();
  final List<String> columns = new ArrayList<>();
  final List<List<Object>> rows = new ArrayList<>();
  final List<Panel> panels = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  RunReport(String name, String title) {
    this.name = name;
    this.title = title;
  }

  RunReport columns(String... names) {
    columns.addAll(List.of(names));
    return this;
  }

  RunReport row(Object... values) {
    rows.add(List.of(values));
    return this;
  }

  RunReport panel(String panelTitle, String unit, List<Bar> bars) {
    panels.add(new Panel(panelTitle, unit, bars));
    return this;
  }

  RunReport note(String text) {
    notes.add(text);
    return this;
  }

  /** Writes the three files into {@code dir}. */
  void write(Path dir, Map<String, Object> machine) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", name);
    json.put("title", title);
    json.put("machine", machine);
    json.put("figures", figures);
    json.put("notes", notes);
    Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(json) + "\n");
    Files.writeString(dir.resolve(name + ".md"), markdown(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(name + ".svg"), svg(), StandardCharsets.UTF_8);
  }

  /** The markdown table, with a title line and the notes. */
  String markdown() {
    StringBuilder md = new StringBuilder("#### ").append(title).append("\n\n");
    md.append('|');
    columns.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append("\n|");
    columns.forEach(c -> md.append("---|"));
    md.append('\n');
    for (List<Object> row : rows) {
      md.append('|');
      row.forEach(v -> md.append(' ').append(format(v)).append(" |"));
      md.append('\n');
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    md.append("\n![").append(title).append("](").append(name).append(".svg)\n");
    return md.toString();
  }

  static String format(Object v) {
    if (v instanceof Double d) {
      if (d >= 100) {
        return String.format(Locale.ROOT, "%,.0f", d);
      }
      return String.format(Locale.ROOT, "%.2f", d);
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return String.valueOf(v);
  }

  /** Horizontal bars, one panel under the other, each scaled to its own maximum. */
  String svg() {
    // wide enough for the title (16 px bold: about 9 px a character)
    int width = Math.max(760, 20 + 9 * title.length());
    int labelWidth = 300;
    int barHeight = 20;
    int gap = 6;
    int y = 40;
    StringBuilder body = new StringBuilder();
    for (Panel panel : panels) {
      body.append(text(10, y, panel.title() + " (" + panel.unit() + ")", 14, "bold"));
      y += 12;
      double max = panel.bars().stream().mapToDouble(Bar::value).max().orElse(1);
      for (Bar bar : panel.bars()) {
        int w = max <= 0 ? 0 : (int) Math.round((width - labelWidth - 90) * bar.value() / max);
        body.append(text(10, y + 15, bar.label(), 12, "normal"));
        body.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b7dd8\"/>%n",
            labelWidth, y, Math.max(w, 1), barHeight));
        body.append(text(labelWidth + w + 6, y + 15, format(bar.value()), 12, "normal"));
        y += barHeight + gap;
      }
      y += 24;
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + y
        + "\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        + text(10, 22, title, 16, "bold") + body + "</svg>\n";
  }

  private static String text(int x, int y, String s, int size, String weight) {
    String escaped = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size,
        weight, escaped);
  }
}
