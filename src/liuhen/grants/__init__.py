"""Governed access (issue #13; R6.1, R7.3): staff requests to view (调阅) or copy (复制) records beyond
their standing right, external release (对外提供), the grants they yield, and the copies made under them.

A live grant is one more reason the one access layer (:mod:`liuhen.access.scope`) gives for a read;
no view checks a grant on its own."""
