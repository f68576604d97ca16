package dev.inferops.operator.workload;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable content hashes for the annotations that roll pods. */
final class Hashing {

  private Hashing() {}

  /** First 16 hex digits of the SHA-256 of the object's JSON form. */
  static String hash(Object value) {
    try {
      byte[] json = Serialization.asJson(value).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
