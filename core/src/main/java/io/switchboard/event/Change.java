package io.switchboard.event;

/**
 * The previous and current value of one changed attribute, as in Chatwoot's
 * {@code changed_attributes}. Either side may be null.
 *
 * @param previous the value before the change
 * @param current the value after the change
 */
public record Change(Object previous, Object current) {}
