package io.artdag.l1.source.tree;

import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * What a tree's enumerator has not handed out yet: the directories it has not listed and the splits
 * it has not assigned. Bounded by the breadth of the tree's unvisited part, not by its number of
 * files.
 */
@Internal
public record TreeEnumeratorState(
        List<String> pendingDirectories, List<DirectorySplit> unassigned) {
    public TreeEnumeratorState {
        pendingDirectories = List.copyOf(pendingDirectories);
        unassigned = List.copyOf(unassigned);
    }
}
