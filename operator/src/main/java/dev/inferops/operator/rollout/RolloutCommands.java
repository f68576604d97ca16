package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The commands a user gives a blue-green or canary rollout as annotations. */
public final class RolloutCommands {

  /** The annotation of each command. */
  public static final Map<RolloutCommand, String> ANNOTATIONS =
      Map.of(
          RolloutCommand.PROMOTE, ResourceNaming.ANNOTATION_PROMOTE,
          RolloutCommand.ABORT, ResourceNaming.ANNOTATION_ABORT,
          RolloutCommand.ROLLBACK, ResourceNaming.ANNOTATION_ROLLBACK,
          RolloutCommand.RETRY, ResourceNaming.ANNOTATION_RETRY);

  private RolloutCommands() {}

  /** The commands annotated on the InferenceService. */
  public static Set<RolloutCommand> of(InferenceService is) {
    Map<String, String> annotations =
        Optional.ofNullable(is.getMetadata().getAnnotations()).orElse(Map.of());
    Set<RolloutCommand> commands = EnumSet.noneOf(RolloutCommand.class);
    ANNOTATIONS.forEach(
        (command, annotation) -> {
          if (annotations.containsKey(annotation)) {
            commands.add(command);
          }
        });
    return commands;
  }
}
