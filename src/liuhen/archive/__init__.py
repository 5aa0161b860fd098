"""The case file (案卷): the archivist's queue, assembly, sign-off by the 立卷人 and the 检查人, the 档号,
retention and holds, and the plan from which the archive package is written (issue #12)."""
