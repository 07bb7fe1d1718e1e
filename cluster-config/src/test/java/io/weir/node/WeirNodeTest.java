package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.api.WeirException;
import io.weir.node.NodeLauncher;
import io.weir.node.api.Profile;
import io.weir.node.WeirNode;
import io.weir.node.internal.DataDirectory;
import io.weir.node.testing.Counter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded node: start, stop, durability across restarts, and its data directory rules. */
class WeirNodeTest {
  @TempDir Path temp;

  @Test
  void startsAsAnUpMemberOfItsOwnClusterAndClosesCleanly() throws Exception {
    Path dataDir = temp.resolve("data");
    WeirNode node = WeirNode.start(dataDir);
    try {
      Cluster cluster = Cluster.get(node.system());
      assertEquals(MemberStatus.up(), cluster.selfMember().status());
      assertEquals(1, cluster.state().members().size());
      assertEquals(Profile.EMBEDDED, node.settings().profile());
      assertEquals(dataDir, node.settings().dataDir());
      assertTrue(node.address().startsWith("pekko://weir@127.0.0.1:"), node.address());
      assertTrue(Files.readString(dataDir.resolve(DataDirectory.LOCK_FILE))
          .contains("pid=" + ProcessHandle.current().pid()), "the lock file names its owner");
    } finally {
      node.close();
    }
    assertTrue(node.system().getWhenTerminated().toCompletableFuture().isDone());
    node.close(); // idempotent
    try (DataDirectory again = DataDirectory.open(dataDir)) {
      assertEquals(dataDir, again.path(), "the lock is released on close");
    }
  }

  @Test
  void persistedStateSurvivesARestartOnTheSameDataDirectory() throws Exception {
    Path dataDir = temp.resolve("data");
    try (WeirNode node = WeirNode.start(dataDir)) {
      ActorRef<Counter.Command> counter = Counter.spawn(node.system(), "restart");
      assertEquals(3, Counter.add(node.system(), counter, 3));
      assertEquals(7, Counter.add(node.system(), counter, 4));
    }
    assertNotLockedInThisJvm(dataDir.resolve("journal/weir.mv.db"));
    try (WeirNode node = WeirNode.start(dataDir)) {
      ActorRef<Counter.Command> counter = Counter.spawn(node.system(), "restart");
      assertEquals(7, Counter.get(node.system(), counter));
      assertEquals(8, Counter.add(node.system(), counter, 1));
    }
  }

  @Test
  void aSecondNodeOnAHeldDataDirectoryFailsNamingTheOwner() {
    Path dataDir = temp.resolve("data");
    try (WeirNode first = WeirNode.start(dataDir)) {
      WeirException e = assertThrows(WeirException.class, () -> WeirNode.start(dataDir).close());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      assertTrue(e.getMessage().contains("pid=" + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains(first.address()), e.getMessage());
    }
  }

  @Test
  void aDataDirectoryThatIsARegularFileFailsClearly() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
    WeirException e = assertThrows(WeirException.class, () -> WeirNode.start(file).close());
    assertEquals("data directory " + file + " is not a directory", e.getMessage());
  }

  @Test
  void aMissingConfigFileFailsClearly() {
    Path missing = temp.resolve("missing.conf");
    NodeLauncher launcher = NodeLauncher.defaults().withDataDir(temp.resolve("data"))
        .withConfigFile(missing);
    WeirException e = assertThrows(WeirException.class, () -> launcher.start().close());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(Files.notExists(temp.resolve("data")), "nothing is created before config is read");
  }

  @Test
  void aMalformedConfigFileFailsClearly() throws Exception {
    Path bad = Files.writeString(temp.resolve("bad.conf"), "weir.node { startup-timeout = ");
    WeirException e = assertThrows(WeirException.class,
        () -> NodeLauncher.defaults().withConfigFile(bad).resolveConfig());
    assertTrue(e.getMessage().startsWith("bad configuration: "), e.getMessage());
    assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
  }

  @Test
  void anExplicitDataDirectoryWinsOverTheConfigurationKey() throws Exception {
    Path explicit = temp.resolve("explicit");
    Path fromKey = temp.resolve("from-key");
    Path fromFile = temp.resolve("from-file");
    Path file = Files.writeString(temp.resolve("user.conf"),
        "weir.data-dir = \"" + fromFile + "\"\n");
    NodeLauncher launcher = NodeLauncher.defaults().withConfigFile(file)
        .withConfig("weir.data-dir", fromKey.toString()).withDataDir(explicit);
    assertDataDir(explicit, launcher);
    assertTrue(launcher.resolveConfig().getString("weir.journal.h2-url")
        .contains(explicit + "/journal/"), "the journal follows the data directory");
  }

  /** WEIR_DATA_DIR sits between the two; a test cannot set it in-process, so it is left out. */
  @Test
  void withoutAnExplicitDirectoryTheConfigurationKeyIsUsed() throws Exception {
    assumeTrue(System.getenv(NodeLauncher.DATA_DIR_ENV) == null, "WEIR_DATA_DIR is set");
    assumeTrue(System.getProperty("weir.data-dir") == null, "-Dweir.data-dir is set");
    Path fromKey = temp.resolve("from-key");
    Path fromFile = temp.resolve("from-file");
    Path file = Files.writeString(temp.resolve("user.conf"),
        "weir.data-dir = \"" + fromFile + "\"\n");
    assertDataDir(fromFile, NodeLauncher.defaults().withConfigFile(file));
    assertDataDir(fromKey, NodeLauncher.defaults().withConfigFile(file)
        .withConfig("weir.data-dir", fromKey.toString()));
    assertDataDir(Path.of("weir-data").toAbsolutePath(), NodeLauncher.defaults());
  }

  /** H2 locks its open database file; a released file proves the node closed its journal. */
  private static void assertNotLockedInThisJvm(Path file) throws Exception {
    assertTrue(Files.isRegularFile(file), "the journal is in the data directory: " + file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      assertTrue(lock != null, "the journal file is still locked after close: " + file);
    } catch (OverlappingFileLockException e) {
      throw new AssertionError("the journal database is still open after close: " + file, e);
    }
  }

  private static void assertDataDir(Path expected, NodeLauncher launcher) {
    assertEquals(expected.toString(), launcher.resolveConfig().getString("weir.data-dir"));
  }

}
