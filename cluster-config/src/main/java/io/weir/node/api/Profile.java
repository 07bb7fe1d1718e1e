package io.weir.node.api;

import io.weir.api.WeirException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The configuration profiles a node can start with; each is a HOCON file in this module. */
public enum Profile {
  /** One JVM, a single-node cluster on 127.0.0.1, journals on local disk. The default. */
  EMBEDDED,
  /** Several nodes in one Pekko Cluster, a shared PostgreSQL journal, the split brain resolver. */
  CLUSTER;

  /** The class path resource of this profile's HOCON file. */
  public String resource() {
    return "weir/profiles/" + name().toLowerCase(Locale.ROOT) + ".conf";
  }

  /**
   * Parses a profile name, ignoring case.
   *
   * @param name {@code embedded} or {@code cluster}
   * @return the profile, never null
   * @throws WeirException naming the known profiles if {@code name} is none of them
   */
  public static Profile parse(String name) {
    for (Profile p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new WeirException(
        "unknown profile '" + name + "'; known profiles: "
            + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
