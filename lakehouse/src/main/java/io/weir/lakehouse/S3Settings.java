package io.weir.lakehouse;

import com.typesafe.config.Config;

/**
 * How the lakehouse reaches an S3-compatible object store when its warehouse is an
 * {@code s3://bucket/prefix} location ({@code weir.lakehouse.s3} in the configuration). Files
 * go through Iceberg's {@code S3FileIO} on the AWS SDK v2 (with the JDK's HTTP connection).
 * Empty strings mean "the SDK's default": its region chain ({@code AWS_REGION}, the profile) and
 * its credentials chain (environment, system properties, profile, container or instance role).
 *
 * @param endpoint the service's URL, e.g. {@code http://minio:9000}; empty for AWS S3
 * @param region the signing region, e.g. {@code eu-central-1}; empty for the SDK's chain
 * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 *     (most S3-compatible servers want it)
 * @param accessKeyId a static access key; empty (with the secret) for the SDK's chain
 * @param secretAccessKey its secret; never printed by {@link #toString()}
 */
public record S3Settings(String endpoint, String region, boolean pathStyleAccess,
    String accessKeyId, String secretAccessKey) {
  /** Validates: both parts of a static key or neither; nulls become empty. */
  public S3Settings {
    endpoint = endpoint == null ? "" : endpoint.trim();
    region = region == null ? "" : region.trim();
    accessKeyId = accessKeyId == null ? "" : accessKeyId;
    secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
    if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("s3: give both access-key-id and secret-access-key,"
          + " or neither (the SDK's default credentials chain)");
    }
    if (!endpoint.isEmpty() && !endpoint.startsWith("http://")
        && !endpoint.startsWith("https://")) {
      throw new IllegalArgumentException("s3.endpoint must be an http:// or https:// URL, was '"
          + endpoint + "'");
    }
  }

  /** AWS S3 with the SDK's default region and credentials. */
  public static S3Settings defaults() {
    return new S3Settings("", "", false, "", "");
  }

  /**
   * An S3-compatible server with path-style access and a static key.
   *
   * @param endpoint its URL, e.g. {@code http://127.0.0.1:9000}
   * @param region the signing region (S3-compatible servers mostly take any, e.g.
   *     {@code us-east-1})
   */
  public static S3Settings compatible(String endpoint, String region, String accessKeyId,
      String secretAccessKey) {
    return new S3Settings(endpoint, region, true, accessKeyId, secretAccessKey);
  }

  /** Reads {@code endpoint}, {@code region}, {@code path-style-access}, the key and secret. */
  public static S3Settings fromConfig(Config s3) {
    return new S3Settings(s3.getString("endpoint"), s3.getString("region"),
        s3.getBoolean("path-style-access"), s3.getString("access-key-id"),
        s3.getString("secret-access-key"));
  }

  /** Hides the secret. */
  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyleAccess="
        + pathStyleAccess + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
        + (secretAccessKey.isEmpty() ? "" : "***") + "]";
  }
}
