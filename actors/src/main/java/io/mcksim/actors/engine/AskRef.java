package io.mcksim.actors.engine;

/**
 * One ask an entity received, to answer with {@link SimContext#reply}: the asker and the asker's number
 * for it. {@link SimContext#currentAsk()} gives it while the request is being handled; keep it to answer
 * later.
 */
public record AskRef(int asker, long id) {}
