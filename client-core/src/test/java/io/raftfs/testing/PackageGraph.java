package io.raftfs.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which packages of a module use which, read from the constant pools of its compiled classes: the
 * classes they name and the types in their field, method and generic signatures (what {@code jdeps}
 * sees). Tests keep a module's packages acyclic with it, and a failure names the classes behind
 * every edge of a cycle. For any module's tests, through client-core's test-jar:
 *
 * <pre>{@code
 * @Test
 * void packagesFormNoCycle() throws IOException {
 *   PackageGraph.of(DataNode.class, "io.raftfs.data").assertAcyclic();
 * }
 * }</pre>
 */
public final class PackageGraph {
  /** A class or type descriptor naming a class: {@code Lio/raftfs/x/Y;} or {@code Lio/x/Y<}. */
  private static final Pattern DESCRIBED_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

  private final String prefix;
  // from package -> to package -> "FromClass -> ToClass" references behind the edge
  private final Map<String, Map<String, Set<String>>> edges;

  private PackageGraph(String prefix, Map<String, Map<String, Set<String>>> edges) {
    this.prefix = prefix;
    this.edges = edges;
  }

  /**
   * The graph of the packages at or below {@code prefix} among the classes where {@code
   * anyClassOfModule} was loaded from (a classes directory or a jar).
   */
  public static PackageGraph of(Class<?> anyClassOfModule, String prefix) throws IOException {
    try {
      Path location =
          Path.of(anyClassOfModule.getProtectionDomain().getCodeSource().getLocation().toURI());
      return read(location, prefix);
    } catch (URISyntaxException e) {
      throw new IOException("no location for " + anyClassOfModule, e);
    }
  }

  /** The graph of the packages at or below {@code prefix} in a classes directory or jar. */
  public static PackageGraph read(Path classes, String prefix) throws IOException {
    if (Files.isDirectory(classes)) {
      return readTree(classes, prefix);
    }
    try (FileSystem jar = FileSystems.newFileSystem(classes)) {
      return readTree(jar.getPath("/"), prefix);
    }
  }

  private static PackageGraph readTree(Path root, String prefix) throws IOException {
    Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
    List<Path> classFiles;
    try (Stream<Path> files = Files.walk(root)) {
      classFiles = files.filter(f -> f.toString().endsWith(".class")).toList();
    }
    for (Path file : classFiles) {
      String from =
          root.relativize(file).toString().replace('\\', '/').replaceFirst("\\.class$", "");
      String fromPackage = packageOf(from);
      if (!within(fromPackage, prefix)) {
        continue;
      }
      Set<String> referenced;
      try (InputStream in = Files.newInputStream(file)) {
        referenced = referencedClasses(in);
      }
      edges.computeIfAbsent(fromPackage, p -> new TreeMap<>());
      for (String to : referenced) {
        String toPackage = packageOf(to);
        if (!toPackage.equals(fromPackage) && within(toPackage, prefix)) {
          edges
              .get(fromPackage)
              .computeIfAbsent(toPackage, p -> new TreeSet<>())
              .add(simpleName(from) + " -> " + simpleName(to));
        }
      }
    }
    return new PackageGraph(prefix, edges);
  }

  /** The packages {@code pkg} uses, within the prefix. */
  public Set<String> dependencies(String pkg) {
    return edges.getOrDefault(pkg, Map.of()).keySet();
  }

  /** Every set of packages that reach each other, sorted; empty when the graph is acyclic. */
  public List<List<String>> cycles() {
    return new Tarjan().run();
  }

  /**
   * @throws AssertionError naming every cycle and the class references behind each of its edges
   */
  public void assertAcyclic() {
    List<List<String>> cycles = cycles();
    if (cycles.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("package cycles in " + prefix + ":");
    for (List<String> cycle : cycles) {
      message.append("\n  ").append(cycle);
      for (String from : cycle) {
        for (String to : cycle) {
          Set<String> why = edges.getOrDefault(from, Map.of()).get(to);
          if (why != null) {
            message.append("\n    ").append(from).append(" -> ").append(to).append(": ");
            message.append(String.join(", ", why));
          }
        }
      }
    }
    throw new AssertionError(message);
  }

  /** Tarjan's strongly connected components; those of more than one package are cycles. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<List<String>> cycles = new ArrayList<>();

    List<List<String>> run() {
      for (String pkg : edges.keySet()) {
        if (!index.containsKey(pkg)) {
          visit(pkg);
        }
      }
      return cycles;
    }

    private void visit(String pkg) {
      index.put(pkg, index.size());
      lowLink.put(pkg, index.get(pkg));
      stack.push(pkg);
      onStack.add(pkg);
      for (String next : dependencies(pkg)) {
        if (!index.containsKey(next)) {
          visit(next);
          lowLink.put(pkg, Math.min(lowLink.get(pkg), lowLink.get(next)));
        } else if (onStack.contains(next)) {
          lowLink.put(pkg, Math.min(lowLink.get(pkg), index.get(next)));
        }
      }
      if (lowLink.get(pkg).equals(index.get(pkg))) {
        Set<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(pkg));
        if (component.size() > 1) {
          cycles.add(List.copyOf(component));
        }
      }
    }
  }

  /** Internal names ({@code io/raftfs/x/Y$Z}) of the classes a class file refers to. */
  static Set<String> referencedClasses(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classNames = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNames.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
        case 15 -> in.skipNBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // ints, floats, member refs
        case 5, 6 -> {
          in.skipNBytes(8); // long, double: they take two slots
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> referenced = new TreeSet<>();
    for (int name : classNames) {
      String value = utf8[name];
      if (value.startsWith("[")) {
        addDescribed(value, referenced); // an array class: [Lio/x/Y;
      } else {
        referenced.add(value);
      }
    }
    for (String value : utf8) {
      if (value != null) {
        addDescribed(value, referenced); // field, method and generic signatures
      }
    }
    return referenced;
  }

  private static void addDescribed(String descriptor, Set<String> into) {
    Matcher matcher = DESCRIBED_CLASS.matcher(descriptor);
    while (matcher.find()) {
      into.add(matcher.group(1));
    }
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
  }

  private static String simpleName(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }

  private static boolean within(String pkg, String prefix) {
    return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
  }
}
