package dev.inferops.operator.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Records the pods of one instance after every change, to assert on every moment of a rollout;
 * count them with {@link Pods}.
 */
public final class PodWatcher implements AutoCloseable {

  private final SharedIndexInformer<Pod> informer;
  private final List<List<Pod>> snapshots = new CopyOnWriteArrayList<>();

  public PodWatcher(KubernetesClient client, String namespace, String instance) {
    informer =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/instance", instance)
            .runnableInformer(0);
    // The handler reads the informer's store, so it is added before the informer starts.
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            record();
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {
            record();
          }

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            record();
          }
        });
    try {
      informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      informer.close();
      throw new IllegalStateException("pod informer for " + namespace + "/" + instance, e);
    }
    record();
  }

  private void record() {
    snapshots.add(List.copyOf(informer.getStore().list()));
  }

  /** Every observed state of the pods, oldest first. */
  public List<List<Pod>> snapshots() {
    return List.copyOf(snapshots);
  }

  @Override
  public void close() {
    informer.close();
  }
}
