package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A server without logical decoding is named as the problem, with the fix. */
class WalLevelTest {
  @Test
  void walLevelReplicaGivesAClearError() throws Exception {
    try (PostgresServer server = PostgresServer.start("replica")) {
      server.execute("CREATE TABLE t (id int PRIMARY KEY)");
      try (ReaderHarness reader = new ReaderHarness(
          server.source("s", "t").build().settings(), PgSplit.fresh("s"))) {
        Exception failure = reader.pollFailure();
        assertInstanceOf(PostgresCdcException.LogicalReplicationDisabled.class, failure);
        assertTrue(failure.getMessage().contains("wal_level is 'replica'"),
            failure.getMessage());
        assertTrue(failure.getMessage().contains("wal_level = logical"), failure.getMessage());
      }
    }
  }
}
