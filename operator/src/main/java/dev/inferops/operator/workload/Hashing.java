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
    return sha256(Serialization.asJson(value).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  /** The SHA-256 of the bytes as 64 lowercase hex digits, as sha256sum prints it. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
