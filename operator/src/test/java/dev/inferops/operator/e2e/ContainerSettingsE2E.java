package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the kernel made of the pod spec: requests and limits as cgroup values, and the restricted
 * Pod Security settings as the container's process really runs (the test cluster.namespace()
 * enforces the restricted standard).
 */
@ExtendWith(RealNode.Required.class)
class ContainerSettingsE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void requestsAndLimitsReachTheContainersCgroups() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "sized",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(Fixtures.startDelay(1).build());
              spec.setResources(
                  new ResourceRequirementsBuilder()
                      .addToRequests("cpu", new Quantity("200m"))
                      .addToRequests("memory", new Quantity("160Mi"))
                      .addToLimits("cpu", new Quantity("750m"))
                      .addToLimits("memory", new Quantity("300Mi"))
                      .build());
            }));
    cluster.awaitPhase("sized", Phase.Ready);
    Pod pod = RealNode.onlyPod(cluster, "sized");
    assertThat(RealNode.cgroupValue(pod, "memory", "memory.limit_in_bytes"))
        .isEqualTo(String.valueOf(300L * 1024 * 1024));
    // CPU limit: a CFS quota of 750m per 100 ms period; request: shares of 200m (1024 per CPU).
    assertThat(RealNode.cgroupValue(pod, "cpu", "cpu.cfs_period_us")).isEqualTo("100000");
    assertThat(RealNode.cgroupValue(pod, "cpu", "cpu.cfs_quota_us")).isEqualTo("75000");
    assertThat(RealNode.cgroupValue(pod, "cpu", "cpu.shares")).isEqualTo("204");
  }

  @Test
  void containerRunsRestrictedForReal() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "restricted",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(Fixtures.startDelay(1).build());
            }));
    cluster.awaitPhase("restricted", Phase.Ready);
    Pod pod = RealNode.onlyPod(cluster, "restricted");
    Map<String, String> status = RealNode.processStatus(pod);
    assertThat(status.get("Uid"))
        .as("real, effective, saved, fs uid")
        .isEqualTo("10001\t10001\t10001\t10001");
    assertThat(status.get("Gid").split("\t")[0]).isEqualTo("10001");
    assertThat(status.get("CapEff")).as("no capabilities").isEqualTo("0000000000000000");
    assertThat(status.get("CapPrm")).isEqualTo("0000000000000000");
    assertThat(status.get("NoNewPrivs")).as("allowPrivilegeEscalation: false").isEqualTo("1");
    assertThat(status.get("Seccomp")).as("seccomp filter mode (RuntimeDefault)").isEqualTo("2");
    assertThat(RealNode.rootMountOptions(pod)).as("root filesystem").contains("ro");
  }
}
