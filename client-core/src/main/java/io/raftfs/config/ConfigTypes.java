package io.raftfs.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The types of raftfs settings. Numbers may group digits with {@code _} ({@code 3_600_000}). */
public final class ConfigTypes {
  private ConfigTypes() {}

  public static final ConfigType<String> STRING = new Simple<>("string", s -> s, s -> s);

  /** {@code true} or {@code false}, nothing else: a typo must not switch a safeguard off. */
  public static final ConfigType<Boolean> BOOLEAN =
      new Simple<>("boolean", ConfigTypes::bool, b -> Boolean.toString(b));

  public static final ConfigType<Path> PATH = new Simple<>("path", Path::of, Path::toString);

  public static final ConfigType<Integer> INTEGER =
      new Simple<>("integer", ConfigTypes::intValue, i -> Integer.toString(i));

  /** An octal number such as a umask: {@code 022}, {@code 0027}. */
  public static final ConfigType<Integer> OCTAL =
      new Simple<>("octal", ConfigTypes::octal, i -> String.format("%03o", i));

  public static final ConfigType<Long> LONG =
      new Simple<>("integer", ConfigTypes::integer, l -> Long.toString(l));

  /**
   * A duration in milliseconds, or with a unit: {@code 500}, {@code 500ms}, {@code 30s}, {@code
   * 5m}, {@code 1h}, {@code 1d}. The keys carry {@code .ms} in their names because plain numbers
   * were all they took before units were.
   */
  public static final ConfigType<Duration> DURATION_MS = new DurationIn("ms");

  /**
   * A duration in hours, or with a unit: {@code 336}, {@code 14d}, {@code 30s}. For periods counted
   * in days or weeks (HDFS counts its block scanner's in hours), which tests shorten to seconds.
   */
  public static final ConfigType<Duration> DURATION_HOURS = new DurationIn("h");

  /** A byte count, plain or with a binary unit: {@code 4096}, {@code 64KiB}, {@code 256m}. */
  public static final ConfigType<Long> BYTES = new Bytes();

  /** Comma-separated {@code host:port} addresses; blanks around them are dropped. */
  public static final ConfigType<List<String>> HOST_PORTS = new HostPorts();

  private record Simple<T>(String name, Function<String, T> parser, Function<T, String> formatter)
      implements ConfigType<T> {
    @Override
    public T parse(String text) {
      return parser.apply(text);
    }

    @Override
    public String format(T value) {
      return formatter.apply(value);
    }
  }

  private static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
    };
  }

  private static int intValue(String text) {
    long value = integer(text);
    if (value != (int) value) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return (int) value;
  }

  private static int octal(String text) {
    try {
      return Integer.parseInt(text, 8);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an octal number");
    }
  }

  private static long integer(String text) {
    try {
      return Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
  }

  /** A duration whose plain numbers count {@code plainUnit}; other units may be given. */
  private static final class DurationIn implements ConfigType<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d[\\d_]*)\\s*(ms|s|m|h|d)?");
    private static final long[] SIZES = {86_400_000, 3_600_000, 60_000, 1000};
    private static final String[] UNITS = {"d", "h", "min", "s"};

    private final String plainUnit;

    DurationIn(String plainUnit) {
      this.plainUnit = plainUnit;
    }

    @Override
    public String name() {
      return "duration (" + plainUnit + ")";
    }

    @Override
    public Duration parse(String text) {
      Matcher m = DURATION.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not a duration (e.g. "
                + (plainUnit.equals("h") ? "336, 14d, 12h, 30s" : "500, 500ms, 30s, 5m, 1h")
                + ")");
      }
      try {
        long amount = Long.parseLong(m.group(1).replace("_", ""));
        String unit = m.group(2) == null ? plainUnit : m.group(2);
        return switch (unit) {
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          case "d" -> Duration.ofDays(amount);
          default -> Duration.ofMillis(amount);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration");
      }
    }

    /** Plain when it is a whole number of the plain unit; else with the largest unit that fits. */
    @Override
    public String format(Duration value) {
      long ms = value.toMillis();
      if (plainUnit.equals("ms")) {
        return Long.toString(ms);
      }
      if (ms % 3_600_000 == 0) {
        return Long.toString(ms / 3_600_000);
      }
      return ms % 60_000 == 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    @Override
    public String describe(Duration value) {
      long ms = value.toMillis();
      for (int i = 0; i < SIZES.length; i++) {
        if (ms >= SIZES[i] && ms % SIZES[i] == 0 && !UNITS[i].equals(plainUnit)) {
          return format(value) + " (" + ms / SIZES[i] + " " + UNITS[i] + ")";
        }
        if (ms >= SIZES[i] && ms % SIZES[i] == 0) {
          return format(value);
        }
      }
      return format(value);
    }
  }

  private static final class Bytes implements ConfigType<Long> {
    private static final Pattern SIZE =
        Pattern.compile("(\\d[\\d_]*)\\s*(?:([kmgtpe])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTPE";

    @Override
    public String name() {
      return "size (bytes)";
    }

    @Override
    public Long parse(String text) {
      Matcher m = SIZE.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a size (e.g. 4096, 64KiB, 256MiB, 10GiB)");
      }
      long value;
      try {
        value = Long.parseLong(m.group(1).replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too large");
      }
      int shift =
          m.group(2) == null ? 0 : 10 * (1 + UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)));
      if (shift > 0 && Long.numberOfLeadingZeros(value) <= shift) {
        throw new IllegalArgumentException("'" + text + "' is too large");
      }
      return value << shift;
    }

    @Override
    public String format(Long value) {
      return Long.toString(value);
    }

    @Override
    public String describe(Long value) {
      for (int unit = UNITS.length(); unit >= 1; unit--) {
        long size = 1L << (10 * unit);
        if (value >= size && value % size == 0) {
          return value + " (" + value / size + " " + UNITS.charAt(unit - 1) + "iB)";
        }
      }
      return Long.toString(value);
    }
  }

  private static final class HostPorts implements ConfigType<List<String>> {
    @Override
    public String name() {
      return "host:port list";
    }

    @Override
    public List<String> parse(String text) {
      List<String> addresses =
          Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (String address : addresses) {
        if (!isHostPort(address)) {
          throw new IllegalArgumentException("'" + address + "' is not host:port");
        }
      }
      return addresses;
    }

    @Override
    public String format(List<String> value) {
      return String.join(",", value);
    }

    private static boolean isHostPort(String address) {
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        return false;
      }
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        return port > 0 && port <= 65535;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }
}
