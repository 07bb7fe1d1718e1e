package io.weir.lakehouse.internal;

import io.weir.lakehouse.S3Settings;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.aws.s3.S3FileIOAwsClientFactory;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Makes Iceberg's {@link S3FileIO} reach an object store: the catalog's {@code io-impl} is
 * {@code S3FileIO}, and its S3 client comes from this class (as {@code s3.client-factory-impl}),
 * built from {@link S3Settings}: endpoint, path-style access, region and a static key when given
 * (else the SDK's default chains), on the JDK's HTTP connection (the only HTTP client on the
 * class path).
 *
 * <p>With an endpoint (an S3-compatible server) request checksums are sent only where S3
 * requires them: the SDK's newer default (a CRC trailer on every upload, with
 * {@code aws-chunked} encoding) is refused by servers that do not implement it (s3proxy,
 * older MinIO and Ceph) with "x-amz-content-sha256 does not match". Uploads are still signed.
 */
public final class ObjectStore implements S3FileIOAwsClientFactory {
  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "weir.s3.";

  private HashMap<String, String> properties = new HashMap<>();
  private transient S3Client client;

  /** Created by {@code S3FileIO} from its {@code s3.client-factory-impl} property. */
  public ObjectStore() {}

  /** Catalog properties for an {@code s3://} warehouse reached as {@code s3} says. */
  public static Map<String, String> fileIoProperties(S3Settings s3) {
    Map<String, String> p = new HashMap<>();
    p.put(CatalogProperties.FILE_IO_IMPL, S3FileIO.class.getName());
    p.put(S3FileIOProperties.CLIENT_FACTORY, ObjectStore.class.getName());
    p.put(PREFIX + "endpoint", s3.endpoint());
    p.put(PREFIX + "region", s3.region());
    p.put(PREFIX + "path-style-access", String.valueOf(s3.pathStyleAccess()));
    p.put(PREFIX + "access-key-id", s3.accessKeyId());
    p.put(PREFIX + "secret-access-key", s3.secretAccessKey());
    return p;
  }

  /** Takes the settings {@link #fileIoProperties} put in the catalog's properties. */
  @Override
  public void initialize(Map<String, String> catalogProperties) {
    this.properties = new HashMap<>(catalogProperties);
  }

  /** The S3 client, built once per {@code FileIO}. Thread-safe. */
  @Override
  public synchronized S3Client s3() {
    if (client == null) {
      client = build();
    }
    return client;
  }

  /**
   * Not used: {@code S3FileIO} takes the asynchronous client only for its optional analytics
   * accelerator, which Weir does not turn on.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public S3AsyncClient s3Async() {
    throw new UnsupportedOperationException("Weir's S3 warehouse uses the synchronous client"
        + " only (do not enable s3.analytics-accelerator)");
  }

  private S3Client build() {
    String endpoint = properties.getOrDefault(PREFIX + "endpoint", "");
    String region = properties.getOrDefault(PREFIX + "region", "");
    String key = properties.getOrDefault(PREFIX + "access-key-id", "");
    String secret = properties.getOrDefault(PREFIX + "secret-access-key", "");
    AwsCredentialsProvider credentials = key.isEmpty() ? DefaultCredentialsProvider.builder()
        .build() : StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(credentials)
        .forcePathStyle(Boolean.parseBoolean(properties.getOrDefault(
            PREFIX + "path-style-access", "false")));
    if (!region.isEmpty()) {
      builder.region(Region.of(region));
    } else if (!endpoint.isEmpty()) {
      builder.region(Region.US_EAST_1); // S3-compatible servers mostly ignore it; signing needs one
    }
    if (!endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(endpoint))
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }
}
