/** Tools that run beside Herald's services: the ZooKeeper server for local clusters, drills and benchmarks. */
package io.herald.tools;
