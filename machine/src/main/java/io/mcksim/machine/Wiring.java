package io.mcksim.machine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node's entities and the links between them, declared once, as a simulator declares its components
 * and links: every kind of entity of a node (a {@link Group}: the McKernel CPUs, the proxies, the Linux
 * CPUs, ...) with how many each node has, and every link between two groups with its latency, inside
 * one node or between nodes.
 *
 * <p>Everything the engines need follows from the declaration: entity ids (node by node, each node's
 * groups in declaration order), the domain of an entity (its node), the lookahead between nodes (the
 * smallest latency of a link between nodes) and inside a node (the smallest latency of a link inside
 * one). An entity reaches another over the link between their groups, in that link's latency: never the
 * engine's lookahead. A link from or to a group a node has none of (a node without McKernel has no
 * McKernel CPUs) joins nothing and bounds no lookahead.
 */
public final class Wiring {

  /** Entities of one kind, {@code count} on every node, numbered from {@code first} within a node. */
  public record Group(String name, int ordinal, int first, int count) {

    /** The id, within its node, of the group's {@code k}-th entity. */
    public int local(int k) {
      if (k < 0 || k >= count) {
        throw new IndexOutOfBoundsException(name + " " + k + " does not exist; a node has " + count);
      }
      return first + k;
    }
  }

  /** Whether a link joins entities of one node or entities of two nodes. */
  public enum Scope { NODE, MACHINE }

  /** A declared link: from one group to another, its latency, and its scope. */
  public record Link(Group from, Group to, long latencyNs, Scope scope) {

    /** Whether the link joins entities: both its groups have some. */
    public boolean joins() {
      return from.count() > 0 && to.count() > 0;
    }
  }

  private final List<Group> groups;
  private final List<Link> links;
  private final int perNode;

  private Wiring(List<Group> groups, List<Link> links) {
    this.groups = Collections.unmodifiableList(groups);
    this.links = Collections.unmodifiableList(links);
    this.perNode = groups.isEmpty() ? 0 : groups.get(groups.size() - 1).first()
        + groups.get(groups.size() - 1).count();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Entities per node. */
  public int perNode() {
    return perNode;
  }

  public List<Group> groups() {
    return groups;
  }

  public List<Link> links() {
    return links;
  }

  /** The global id of the {@code k}-th entity of group {@code g} on node {@code node}. */
  public int id(int node, Group g, int k) {
    return node * perNode + g.local(k);
  }

  /** The node of entity {@code id}. */
  public int nodeOf(int id) {
    return id / perNode;
  }

  /** The group of entity {@code id}. */
  public Group groupOf(int id) {
    int local = id % perNode;
    for (int i = 0; i < groups.size(); i++) { // (no iterator: asked once per entity of the machine)
      Group g = groups.get(i);
      if (local < g.first() + g.count()) {
        return g;
      }
    }
    throw new IllegalArgumentException("entity " + id + " is beyond the declared groups");
  }

  /** The index of entity {@code id} within its group. */
  public int indexOf(int id) {
    return id % perNode - groupOf(id).first();
  }

  /** The latency of the declared link from {@code from} to {@code to} in scope {@code scope}. */
  public long latency(Group from, Group to, Scope scope) {
    for (Link l : links) {
      if (l.scope() == scope && l.from().equals(from) && l.to().equals(to)) {
        return l.latencyNs();
      }
    }
    throw new IllegalArgumentException("no " + scope + " link from " + from.name() + " to " + to.name()
        + " is declared");
  }

  /** The latency of the link from {@code from} to {@code to} inside a node. */
  public long latency(Group from, Group to) {
    return latency(from, to, Scope.NODE);
  }

  /** The smallest latency of a link between nodes: the engines' lookahead. */
  public long lookahead() {
    return smallest(Scope.MACHINE, Long.MAX_VALUE / 4);
  }

  /** The smallest latency of a link inside a node, at most {@link #lookahead()}. */
  public long localLookahead() {
    return Math.min(smallest(Scope.NODE, Long.MAX_VALUE / 4), lookahead());
  }

  private long smallest(Scope scope, long none) {
    long min = none;
    for (Link l : links) {
      if (l.scope() == scope && l.joins()) {
        min = Math.min(min, l.latencyNs());
      }
    }
    return min;
  }

  /** Declares groups and links, in order. */
  public static final class Builder {
    private final List<Group> groups = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private int next;

    /** Declares {@code count} entities of kind {@code name} on every node (none for 0). */
    public Group group(String name, int count) {
      if (count < 0) {
        throw new IllegalArgumentException(name + ": a node cannot have " + count + " of them");
      }
      if (groups.stream().anyMatch(g -> g.name().equals(name))) {
        throw new IllegalArgumentException("group " + name + " is declared twice");
      }
      if ((long) next + count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a node of more than " + Integer.MAX_VALUE + " entities");
      }
      Group g = new Group(name, groups.size(), next, count);
      groups.add(g);
      next += count;
      return g;
    }

    /** A link inside a node from {@code from} to {@code to}, one way. */
    public Builder link(Group from, Group to, long latencyNs) {
      return add(from, to, latencyNs, Scope.NODE);
    }

    /** A link inside a node between {@code a} and {@code b}, both ways, with one latency. */
    public Builder both(Group a, Group b, long latencyNs) {
      add(a, b, latencyNs, Scope.NODE);
      return a.equals(b) ? this : add(b, a, latencyNs, Scope.NODE);
    }

    /** A link from {@code from} on one node to {@code to} on another. */
    public Builder between(Group from, Group to, long latencyNs) {
      return add(from, to, latencyNs, Scope.MACHINE);
    }

    private Builder add(Group from, Group to, long latencyNs, Scope scope) {
      if (latencyNs < 1) {
        throw new IllegalArgumentException("the link from " + from.name() + " to " + to.name() + " needs a"
            + " latency of at least 1 ns, got " + latencyNs);
      }
      links.add(new Link(from, to, latencyNs, scope));
      return this;
    }

    public Wiring build() {
      return new Wiring(new ArrayList<>(groups), new ArrayList<>(links));
    }
  }
}
