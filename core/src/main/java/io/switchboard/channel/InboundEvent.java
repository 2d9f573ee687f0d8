package io.switchboard.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Something a provider told us, in channel-neutral form: a message, a status update for a
 * message we sent, or an edit.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = InboundMessage.class, name = "message"),
    @JsonSubTypes.Type(value = InboundStatus.class, name = "status"),
    @JsonSubTypes.Type(value = InboundEdit.class, name = "edit")
})
public sealed interface InboundEvent permits InboundMessage, InboundStatus, InboundEdit {}
