package io.mcksim.actors.engine;

/**
 * An event payload whose content is folded into the event-log digest. The fingerprint must depend only
 * on the payload's values (never on identity hash codes, enum {@code hashCode()} or iteration over
 * hash-based collections), so that it is the same in every JVM.
 */
public interface Fingerprinted {
  long fingerprint();
}
