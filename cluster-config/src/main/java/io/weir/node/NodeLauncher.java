package io.weir.node;

import io.weir.node.api.NodeSettings;
import io.weir.node.api.Profile;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.weir.api.WeirException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a node: an immutable description whose {@code withXxx} refinements return new
 * instances, and whose {@link #start()} starts it. Thread-safe.
 *
 * <p>Configuration is layered, first match wins: the data directory chosen here, JVM system
 * properties, {@link #withConfig} overrides, the file given by {@link #withConfigFile}, the
 * profile's file ({@code weir/profiles/embedded.conf} or {@code cluster.conf}), then every
 * module's {@code reference.conf}. The data directory is taken from {@link #withDataDir}, else
 * the environment variable {@code WEIR_DATA_DIR}, else the key {@code weir.data-dir} from the
 * layers below it, else {@code ./weir-data}.
 *
 * @param dataDir the data directory, or empty to use the environment or configuration
 * @param profile the profile, or empty to use {@code weir.node.profile} (default embedded)
 * @param configFile a HOCON file of the user's, or empty
 * @param overrides configuration that wins over files and profiles, never null
 */
public record NodeLauncher(
    Optional<Path> dataDir, Optional<Profile> profile, Optional<Path> configFile, Config overrides) {

  /** The environment variable naming the data directory. */
  public static final String DATA_DIR_ENV = "WEIR_DATA_DIR";

  /** Checks that no field is null. */
  public NodeLauncher {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(overrides, "overrides");
  }

  /** A launcher with every choice left to the environment and configuration. */
  public static NodeLauncher defaults() {
    return new NodeLauncher(Optional.empty(), Optional.empty(), Optional.empty(),
        ConfigFactory.empty());
  }

  /** Returns a launcher that uses {@code dir} (made absolute) as the data directory. */
  public NodeLauncher withDataDir(Path dir) {
    return new NodeLauncher(Optional.of(dir.toAbsolutePath().normalize()), profile, configFile,
        overrides);
  }

  /** Returns a launcher that starts the given profile. */
  public NodeLauncher withProfile(Profile p) {
    return new NodeLauncher(dataDir, Optional.of(p), configFile, overrides);
  }

  /** Returns a launcher that layers the HOCON file {@code file} over the profile. */
  public NodeLauncher withConfigFile(Path file) {
    return new NodeLauncher(dataDir, profile, Optional.of(file), overrides);
  }

  /** Returns a launcher whose {@code config} wins over every file (earlier overrides included). */
  public NodeLauncher withConfig(Config config) {
    return new NodeLauncher(dataDir, profile, configFile, config.withFallback(overrides));
  }

  /** Returns a launcher with one configuration key overridden. */
  public NodeLauncher withConfig(String path, Object value) {
    return withConfig(ConfigFactory.parseMap(Map.of(path, value)));
  }

  /**
   * Builds the node's whole configuration, resolved, without starting anything.
   *
   * @return the configuration the node would run with
   * @throws WeirException if the configuration file is missing or malformed, or a key is wrong
   */
  public Config resolveConfig() {
    try {
      Config user = configFile.map(NodeLauncher::parseUserFile).orElse(ConfigFactory.empty());
      Config firstPass = layers(user, ConfigFactory.empty(), chooseProfile(user)).resolve();
      Path dir = dataDir
          .or(() -> Optional.ofNullable(System.getenv(DATA_DIR_ENV)).filter(s -> !s.isBlank())
              .map(Path::of))
          .orElse(Path.of(firstPass.getString("weir.data-dir")))
          .toAbsolutePath().normalize();
      Config dirConfig = ConfigFactory.parseMap(Map.of("weir.data-dir", dir.toString()));
      return layers(user, dirConfig, chooseProfile(user)).resolve();
    } catch (ConfigException e) {
      throw new WeirException("bad configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the node: takes the data directory, starts the actor system, joins the cluster and
   * opens the journal. Blocks until the node is ready or {@code weir.node.startup-timeout} passes.
   *
   * @return the running node; close it to stop
   * @throws WeirException if the configuration is wrong, the data directory is unusable or held
   *     by another process, or the node cannot start in time
   */
  public WeirNode start() {
    return WeirNode.start(resolveConfig());
  }

  private Profile chooseProfile(Config user) {
    if (profile.isPresent()) {
      return profile.get();
    }
    Config chosen = ConfigFactory.systemProperties().withFallback(overrides).withFallback(user);
    return chosen.hasPath("weir.node.profile")
        ? Profile.parse(chosen.getString("weir.node.profile"))
        : Profile.EMBEDDED;
  }

  private Config layers(Config user, Config dirConfig, Profile chosen) {
    Config profileConfig = ConfigFactory.parseResources(NodeLauncher.class.getClassLoader(),
        chosen.resource(), ConfigParseOptions.defaults().setAllowMissing(false));
    // The chosen directory goes on top: it was already picked from the key in the layers below,
    // so an explicit directory or WEIR_DATA_DIR must not be overridden by that key again.
    return dirConfig
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(overrides)
        .withFallback(user)
        .withFallback(profileConfig)
        .withFallback(ConfigFactory.defaultReference(NodeLauncher.class.getClassLoader()));
  }

  private static Config parseUserFile(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new WeirException("configuration file " + file + " does not exist or is not readable");
    }
    return ConfigFactory.parseFile(file.toFile(),
        ConfigParseOptions.defaults().setAllowMissing(false));
  }
}
