package io.weir.node.api;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node launcher's settings, read once from the resolved configuration ({@code weir.node.*}
 * and {@code weir.data-dir}).
 *
 * @param dataDir the absolute directory that holds this node's durable state, never null
 * @param profile the configuration profile the node runs, never null
 * @param createSchema whether to create missing journal tables at start
 * @param startupTimeout how long joining the cluster and opening the journal may take
 */
public record NodeSettings(
    Path dataDir, Profile profile, boolean createSchema, Duration startupTimeout) {

  /** Checks that every field is present and the data directory is absolute. */
  public NodeSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    if (!dataDir.isAbsolute()) {
      throw new IllegalArgumentException("dataDir must be absolute: " + dataDir);
    }
  }

  /**
   * Reads the settings from a resolved configuration.
   *
   * @param config the node's whole configuration, resolved
   * @return the settings, never null
   * @throws com.typesafe.config.ConfigException if a key is missing or has the wrong type
   */
  public static NodeSettings fromConfig(Config config) {
    Config node = config.getConfig("weir.node");
    return new NodeSettings(
        Path.of(config.getString("weir.data-dir")).toAbsolutePath().normalize(),
        Profile.parse(node.getString("profile")),
        node.getBoolean("create-schema"),
        node.getDuration("startup-timeout"));
  }
}
