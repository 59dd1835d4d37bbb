"""Working through git: driving the `git` binary (`repo`: commits, hooks, undo) and merging two clones'
versions of one record (`merge`, the merge driver)."""
