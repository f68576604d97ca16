package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.Rollout;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the side effects of a rollout decision besides the objects: its Events, and removing
 * the command annotations it consumed, so a command acts once.
 */
final class Commands {

  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  static void act(
      InferenceService is,
      Rollout rollout,
      Context<InferenceService> context,
      EventRecorder events) {
    act(is, rollout.announcements(), rollout.consumedCommands(), context, events);
  }

  private static void act(
      InferenceService is,
      List<Announcement> announcements,
      List<String> consumed,
      Context<InferenceService> context,
      EventRecorder events) {
    for (Announcement a : announcements) {
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
    for (String annotation : consumed) {
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
