package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.rollout.BlueGreenPlanner;
import dev.inferops.operator.rollout.BlueGreenRollout;
import dev.inferops.operator.rollout.BlueGreenRollout.Command;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the side effects of a blue-green decision besides the objects: its Events, and
 * removing the command annotations it consumed, so a command acts once.
 */
final class Commands {

  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  static void act(
      InferenceService is,
      BlueGreenRollout.Decision decision,
      Context<InferenceService> context,
      EventRecorder events) {
    for (BlueGreenRollout.Announcement a : decision.announcements()) {
      log.info(
          "{}/{}: {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          a.reason(),
          a.message());
      events.record(
          is,
          a.warning() ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
          a.reason(),
          a.message());
    }
    for (Command command : decision.consumed()) {
      String annotation = BlueGreenPlanner.COMMAND_ANNOTATIONS.get(command);
      if (is.getMetadata().getAnnotations() == null
          || !is.getMetadata().getAnnotations().containsKey(annotation)) {
        continue;
      }
      String path = "/metadata/annotations/" + annotation.replace("~", "~0").replace("/", "~1");
      try {
        context
            .getClient()
            .resources(InferenceService.class)
            .inNamespace(is.getMetadata().getNamespace())
            .withName(is.getMetadata().getName())
            .patch(
                PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"" + path + "\"}]");
      } catch (KubernetesClientException e) {
        // Already removed (422) or the resource is gone: the command is spent either way.
        log.debug(
            "Could not remove {} from {}: {}",
            annotation,
            is.getMetadata().getName(),
            e.getMessage());
      }
    }
  }
}
