package dev.inferops.operator.dependent;

import dev.inferops.operator.events.EventRecorder;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates the workflow's dependents with the operator's {@link EventRecorder}: JOSDK would call a
 * no-argument constructor, which would leave each dependent to find a recorder of its own.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class OwnedDependentFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {

  private final EventRecorder events;

  public OwnedDependentFactory(EventRecorder events) {
    this.events = events;
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
    Class<?> type = spec.getDependentResourceClass();
    if (!OwnedDependentResource.class.isAssignableFrom(type)) {
      return DEFAULT.createFrom(spec, configuration);
    }
    DependentResource dependent = instantiate(type);
    configure(dependent, spec, configuration);
    return dependent;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    Class<?> type = spec.getDependentResourceClass();
    if (!OwnedDependentResource.class.isAssignableFrom(type)) {
      return DEFAULT.associatedResourceType(spec);
    }
    return instantiate(type).resourceType();
  }

  private DependentResource instantiate(Class<?> type) {
    try {
      return (DependentResource) type.getConstructor(EventRecorder.class).newInstance(events);
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException(
          type.getName() + " needs a public constructor taking the EventRecorder", e);
    }
  }
}
