"""The names a condition can see: quantifier variables, then rule parameters, then fact roots.

Looking a name up never copies the fact tree, so roots no rule reads are never derived.
"""
from __future__ import annotations


class Scope:
    __slots__ = ("tree", "params", "var", "item", "parent")

    def __init__(self, tree, params: dict, var: str | None = None, item=None, parent: "Scope | None" = None):
        self.tree, self.params, self.var, self.item, self.parent = tree, params, var, item, parent

    def bind(self, var: str, item) -> "Scope":
        return Scope(self.tree, self.params, var, item, self)

    def get(self, name: str, default=None):
        scope = self
        while scope is not None and scope.var is not None:
            if scope.var == name:
                return scope.item
            scope = scope.parent
        if name in self.params:
            return self.params[name]
        return self.tree.get(name, default)

    def __getitem__(self, name: str):
        value = self.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(name)
        return value


_MISSING = object()
