package io.raftfs.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4) for tests: every line
 * must be a {@code # HELP}, a {@code # TYPE} or a sample of a family whose TYPE came before it;
 * label values must be quoted and escaped; values must be floats. Fails with the offending line.
 */
public final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? ([^ ]+)(?: (-?[0-9]+))?");
  private static final Set<String> SUFFIXES = Set.of("_bucket", "_sum", "_count", "_created");

  /** Sample as {@code name{labels}} exactly as printed, to its value. */
  public final Map<String, Double> samples = new LinkedHashMap<>();

  /** Family name to its type. */
  public final Map<String, String> types = new HashMap<>();

  public static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    if (!text.endsWith("\n")) {
      throw new AssertionError("exposition must end with a newline");
    }
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        if (parsed.types.put(type.group(1), type.group(2)) != null) {
          throw new AssertionError("line " + number + ": second TYPE for " + type.group(1));
        }
        continue;
      }
      if (HELP.matcher(line).matches()) {
        continue;
      }
      if (line.startsWith("#")) {
        throw new AssertionError("line " + number + ": unknown comment: " + line);
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("line " + number + ": not a sample: " + line);
      }
      String name = sample.group(1);
      if (parsed.family(name) == null) {
        throw new AssertionError("line " + number + ": sample before its TYPE: " + line);
      }
      double value = parseValue(sample.group(3), number);
      String key = name + (sample.group(2) == null ? "" : sample.group(2));
      if (parsed.samples.put(key, value) != null) {
        throw new AssertionError("line " + number + ": duplicate sample " + key);
      }
    }
    return parsed;
  }

  private String family(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return null;
  }

  private static double parseValue(String text, int number) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionError("line " + number + ": not a value: " + text);
        }
    }
  }

  /** The sum of all samples named {@code name} whose labels contain every {@code labels} pair. */
  public double sum(String name, String... labels) {
    double total = 0;
    boolean found = false;
    for (Map.Entry<String, Double> sample : samples.entrySet()) {
      String key = sample.getKey();
      if (!(key.equals(name) || key.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= key.contains(label);
      }
      if (all) {
        total += sample.getValue();
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("no sample " + name + " with " + String.join(",", labels));
    }
    return total;
  }

  /** Whether any sample is named {@code name} (with or without labels). */
  public boolean has(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  /** Checks a histogram family's buckets: cumulative, with {@code +Inf} equal to its count. */
  public void checkHistogram(String family, String... labels) {
    if (!"histogram".equals(types.get(family))) {
      throw new AssertionError(family + " is not a histogram but " + types.get(family));
    }
    Map<String, Double> buckets = new HashMap<>();
    double previous = 0;
    for (Map.Entry<String, Double> sample : samples.entrySet()) {
      String key = sample.getKey();
      boolean all = key.startsWith(family + "_bucket{");
      for (String label : labels) {
        all &= key.contains(label);
      }
      if (all) {
        if (sample.getValue() < previous) {
          throw new AssertionError("bucket counts go down at " + key);
        }
        previous = sample.getValue();
        buckets.put(key, sample.getValue());
      }
    }
    double inf =
        buckets.entrySet().stream()
            .filter(e -> e.getKey().contains("le=\"+Inf\""))
            .mapToDouble(Map.Entry::getValue)
            .findFirst()
            .orElseThrow(() -> new AssertionError(family + " has no +Inf bucket"));
    if (inf != sum(family + "_count", labels)) {
      throw new AssertionError(family + ": +Inf bucket differs from _count");
    }
  }
}
