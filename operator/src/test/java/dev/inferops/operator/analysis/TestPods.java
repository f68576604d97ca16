package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as the informer would hand them to the analysis. */
final class TestPods {

  private TestPods() {}

  static Pod running(String name, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withUid("uid-" + name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  static Pod withoutIp(String name) {
    return new PodBuilder(running(name, null))
        .editStatus()
        .withPhase("Pending")
        .endStatus()
        .build();
  }

  static Pod terminating(String name, String ip) {
    return new PodBuilder(running(name, ip))
        .editMetadata()
        .withDeletionTimestamp("2026-12-02T10:00:00Z")
        .endMetadata()
        .build();
  }

  static Pod failed(String name, String ip) {
    return new PodBuilder(running(name, ip)).editStatus().withPhase("Failed").endStatus().build();
  }

  /** The same name, created again: a new UID. */
  static Pod recreated(String name, String ip) {
    return new PodBuilder(running(name, ip))
        .editMetadata()
        .withUid("uid2-" + name)
        .endMetadata()
        .build();
  }
}
