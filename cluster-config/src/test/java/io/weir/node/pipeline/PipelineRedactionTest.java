package io.weir.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What `weir job list` and `status` show of a pipeline: its file with the secrets hidden. */
class PipelineRedactionTest {
  @Test
  void secretValuesAreHiddenAndEverythingElseShown() {
    String file = """
        pipeline:
          name: orders
        source:
          type: postgres
          username: weir
          password: s3cr3t!
          "db-password" :   'quoted'
        sink:
          type: kafka
          properties:
            sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required;
            ssl.truststore.password: changeit
            api-token: abc
          empty-password:
        """;
    List<String> shown = new PipelineJob().redact(List.of("orders", "/lake", file));
    assertEquals("orders", shown.get(0));
    assertEquals("/lake", shown.get(1));
    assertEquals("""
        pipeline:
          name: orders
        source:
          type: postgres
          username: weir
          password: ******
          "db-password" : ******
        sink:
          type: kafka
          properties:
            sasl.jaas.config: ******
            ssl.truststore.password: ******
            api-token: ******
          empty-password:
        """, shown.get(2));
  }

  @Test
  void theLakehouseSettingsTravelWholeAndTheirSecretsAreHidden() {
    io.weir.lakehouse.LakehouseSettings lake = io.weir.lakehouse.LakehouseSettings
        .at(java.nio.file.Path.of("/data/lake"))
        .withSharedCatalog("jdbc:postgresql://db:5432/weir", "weir", "pa\"ss",
            "s3://bucket/tables", new io.weir.lakehouse.S3Settings("http://127.0.0.1:9000",
                "eu-west-1", true, "AKIA", "s3cr3t"));
    String argument = lake.toArgument();
    assertEquals(lake, PipelineJob.lakehouseSettings(argument), "every setting, on every node");
    assertEquals(io.weir.lakehouse.LakehouseSettings.at(java.nio.file.Path.of("/old/lake")),
        PipelineJob.lakehouseSettings("/old/lake"), "a directory, as older jobs have");
    assertEquals("jdbc:postgresql://db:5432/weir s3://bucket/tables",
        new PipelineJob().redact(List.of("p", argument, "")).get(1),
        "the catalog and the warehouse, no secret");
    assertEquals("/data/lake", new PipelineJob().redact(List.of("p",
        io.weir.lakehouse.LakehouseSettings.at(java.nio.file.Path.of("/data/lake"))
            .toArgument(), "")).get(1), "the embedded catalog's directory");
  }
}
