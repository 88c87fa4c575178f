/**
 * Every key and channel Holdspace uses in Redis. A room's keys share the hash tag `{room:<id>}`,
 * so one script can touch them all on Redis Cluster too. Room ids are [A-Za-z0-9_-] (idSchema).
 */
export function roomKeys(roomId: string) {
  const tag = `{room:${roomId}}`;
  return {
    /** Hash: `json` (the state without the parts below), `revision`, `version`, `title`, `createdAt`, `ended`. */
    state: `${tag}:state`,
    /** Hash: participant id -> JSON array of that participant's last applied command ids. */
    applied: `${tag}:applied`,
    /** JSON of the open prompt's answers and their command ids: content, never an author. */
    feedbackItems: `${tag}:feedback:items`,
    /** Set of members who answered the open prompt: apart from the content, no order, no time. */
    feedbackSubmitters: `${tag}:feedback:submitters`,
    /** The node that runs this room's actor, with a lease (PX). */
    owner: `${tag}:owner`,
    /** Set of nodes that hold sockets of this room. */
    nodes: `${tag}:nodes`,
    /** Set of participants with a socket on that node; expires unless the node refreshes it. */
    presentAt: (nodeId: string) => `${tag}:at:${nodeId}`,
  };
}

/**
 * Sorted set of room ids by creation time, for the facilitator's list; entries of expired rooms are
 * dropped lazily. Like the stream and channels below it has no room's hash tag, so it is never
 * written in the same script or transaction as a room's keys (another slot on Redis Cluster).
 */
export const roomIndexKey = 'holdspace:rooms';

/** Socket.IO's broadcasts between nodes (the Redis Streams adapter). */
export const broadcastStream = 'holdspace:broadcast';
export const broadcastChannelPrefix = 'holdspace:sio';

/** Each node listens here for requests and replies addressed to it. */
export const nodeChannel = (nodeId: string) => `holdspace:node:${nodeId}`;
/** Notices for every node, e.g. a room released by a node that is shutting down. */
export const noticeChannel = 'holdspace:notices';
