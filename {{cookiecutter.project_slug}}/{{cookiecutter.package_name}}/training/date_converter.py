"""The ONNX converter of DateParts: calendar parts from seconds since 1970 with arithmetic only.

The date is split into days and the time of day, and the days become a civil date by Howard Hinnant's
`civil_from_days` (eras of 400 years, years starting in March). Every step is a whole number far below 2**53 in a
double, and each division is floored, so the parts are exactly those pandas gives; a missing date gives missing parts.
"""

from __future__ import annotations

from typing import Any

from .date_features import SECONDS_PER_DAY, DateParts

DAYS_BEFORE_EPOCH = 719_468  # from 0000-03-01 to 1970-01-01
DAYS_PER_ERA = 146_097  # 400 years
THURSDAY = 3  # 1970-01-01, with Monday 0
DATE_PARTS_ALIAS = "ProjectDateParts"


class _Arithmetic:
    """Nodes of one graph, on double tensors, with constants made once."""

    def __init__(self, scope: Any, container: Any) -> None:
        self.scope, self.container = scope, container
        self.constants: dict[float, str] = {}

    def const(self, value: float) -> str:
        if value not in self.constants:
            from onnx import TensorProto

            name = self.scope.get_unique_variable_name("date_constant")
            self.container.add_initializer(name, TensorProto.DOUBLE, [], [float(value)])
            self.constants[value] = name
        return self.constants[value]

    def int64(self, value: int) -> str:
        from onnx import TensorProto

        name: str = self.scope.get_unique_variable_name("date_index")
        self.container.add_initializer(name, TensorProto.INT64, [1], [value])
        return name

    def node(self, kind: str, *inputs: str | float, **attributes: Any) -> str:
        names = [item if isinstance(item, str) else self.const(item) for item in inputs]
        output: str = self.scope.get_unique_variable_name(f"date_{kind.lower()}")
        self.container.add_node(kind, names, [output], name=self.scope.get_unique_operator_name(kind), **attributes)
        return output

    def floor_div(self, value: str | float, by: float) -> str:
        return self.node("Floor", self.node("Div", value, by))

    def mod(self, value: str, by: float) -> str:
        return self.node("Sub", value, self.node("Mul", self.floor_div(value, by), by))

    def is_zero(self, value: str) -> str:
        return self.node("Equal", value, 0.0)

    def as_number(self, condition: str) -> str:
        from onnx import TensorProto

        return self.node("Cast", condition, to=TensorProto.DOUBLE)


def date_parts(graph: _Arithmetic, seconds: str) -> dict[str, str]:
    """Year, month, day of week (Monday 0), day of year (1 to 366) and hour of `seconds`, as double tensors."""
    days = graph.floor_div(seconds, SECONDS_PER_DAY)
    hour = graph.floor_div(graph.node("Sub", seconds, graph.node("Mul", days, SECONDS_PER_DAY)), 3600)
    day_of_week = graph.mod(graph.node("Add", days, THURSDAY), 7)
    shifted = graph.node("Add", days, DAYS_BEFORE_EPOCH)
    era = graph.floor_div(shifted, DAYS_PER_ERA)
    day_of_era = graph.node("Sub", shifted, graph.node("Mul", era, DAYS_PER_ERA))
    # The day of the era less the leap days before it: 365 days to every year of the era.
    without_leap_days = graph.node("Sub", day_of_era, graph.floor_div(day_of_era, 1460))
    without_leap_days = graph.node("Add", without_leap_days, graph.floor_div(day_of_era, 36524))
    without_leap_days = graph.node("Sub", without_leap_days, graph.floor_div(day_of_era, DAYS_PER_ERA - 1))
    year_of_era = graph.floor_div(without_leap_days, 365)
    days_before_year = graph.node(
        "Sub",
        graph.node("Add", graph.node("Mul", year_of_era, 365), graph.floor_div(year_of_era, 4)),
        graph.floor_div(year_of_era, 100),
    )
    day_from_march = graph.node("Sub", day_of_era, days_before_year)  # 0 is 1 March
    month_from_march = graph.floor_div(graph.node("Add", graph.node("Mul", day_from_march, 5), 2), 153)
    month = graph.node(
        "Where",
        graph.node("Less", month_from_march, 10),
        graph.node("Add", month_from_march, 3),
        graph.node("Sub", month_from_march, 9),
    )
    january_or_february = graph.node("LessOrEqual", month, 2)
    year = graph.node(
        "Add",
        graph.node("Add", year_of_era, graph.node("Mul", era, 400)),
        graph.as_number(january_or_february),
    )
    leap = graph.node(
        "Or",
        graph.node("And", graph.is_zero(graph.mod(year, 4)), graph.node("Not", graph.is_zero(graph.mod(year, 100)))),
        graph.is_zero(graph.mod(year, 400)),
    )
    day_of_year = graph.node(
        "Where",
        january_or_february,
        graph.node("Sub", day_from_march, 305),  # 1 January is day 306 from March
        graph.node("Add", graph.node("Add", day_from_march, 60), graph.as_number(leap)),
    )
    return {"year": year, "month": month, "day_of_week": day_of_week, "day_of_year": day_of_year, "hour": hour}


def parse_date_parts(scope: Any, model: DateParts, inputs: list[Any], custom_parsers: Any = None) -> list[Any]:
    """Declares the parts as doubles, as the rest of the graph."""
    from skl2onnx.common.data_types import DoubleTensorType

    operator = scope.declare_local_operator(DATE_PARTS_ALIAS, model)
    operator.inputs = inputs
    operator.outputs.append(scope.declare_local_variable("date_parts", DoubleTensorType()))
    return list(operator.outputs)


def date_parts_shape(operator: Any) -> None:
    from skl2onnx.common.data_types import DoubleTensorType

    width = sum(len(parts) for parts in operator.raw_operator.parts_.values())
    operator.outputs[0].type = DoubleTensorType([operator.inputs[0].get_first_dimension(), width])


def convert_date_parts(scope: Any, operator: Any, container: Any) -> None:
    """Each date column (doubles of seconds) to its parts (whole numbers, in doubles)."""
    transformer: DateParts = operator.raw_operator
    graph = _Arithmetic(scope, container)
    inputs = [variable.full_name for variable in operator.inputs]
    matrix = inputs[0] if len(inputs) == 1 else graph.node("Concat", *inputs, axis=1)
    blocks = []
    for position, parts in enumerate(transformer.parts_.values()):
        start, end, axis = (graph.int64(value) for value in (position, position + 1, 1))
        computed = date_parts(graph, graph.node("Slice", matrix, start, end, axis))
        blocks += [computed[part] for part in parts]
    container.add_node("Concat", blocks, [operator.outputs[0].full_name], axis=1)
