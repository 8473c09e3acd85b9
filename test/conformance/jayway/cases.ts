/**
 * Cases taken from Jayway JsonPath's own tests (github.com/json-path/JsonPath, Apache-2.0, commit 62a4c9f0,
 * json-path/src/test/java/com/jayway/jsonpath/...). Each case names its file and test method. Documents are
 * Jayway's test documents (BaseTest.JSON_DOCUMENT, BaseFunctionTest.NUMBER_SERIES, ...), transcribed as JSON.
 *
 * `criteria` marks assertions written in Jayway with the Criteria API (`where("int-key").eq(1)`), replayed
 * here as the path-string filter that compiles to the same predicate (`[?(@['int-key'] == 1)]`).
 * Expected values are Jayway's; a `value` of a numeric function is compared as a number.
 */

export const JSON_DOCUMENT = {
  "string-property": "string-value",
  "int-max-property": 2147483647,
  "boolean-property": true,
  "null-property": null,
  "int-small-property": 1,
  "max-price": 10,
  store: {
    book: [
      { category: "reference", author: "Nigel Rees", title: "Sayings of the Century", "display-price": 8.95 },
      { category: "fiction", author: "Evelyn Waugh", title: "Sword of Honour", "display-price": 12.99 },
      { category: "fiction", author: "Herman Melville", title: "Moby Dick", isbn: "0-553-21311-3", "display-price": 8.99 },
      { category: "fiction", author: "J. R. R. Tolkien", title: "The Lord of the Rings", isbn: "0-395-19395-8", "display-price": 22.99 },
    ],
    bicycle: { foo: "baz", color: "red", "display-price": 19.95, "foo:bar": "fooBar", "dot.notation": "new", "dash-notation": "dashes" },
  },
  foo: "bar",
  "@id": "ID",
};
export const NUMBER_SERIES = { empty: [], numbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
export const TEXT_SERIES = { urls: ["http://api.worldbank.org/countries/all/?format=json", "http://api.worldbank.org/countries/all/?format=json"], text: ["a", "b", "c", "d", "e", "f"] };
export const TEXT_AND_NUMBER_SERIES = { text: ["a", "b", "c", "d", "e", "f"], numbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
/** JSONEntityPathFunctionTest.BATCH_JSON (its trailing comma, which json-smart tolerates, dropped). */
export const BATCH_JSON = { batches: { minBatchSize: 10, results: [{ productId: 23, values: [2, 45, 34, 23, 3, 5, 4, 3, 2, 1] }, { productId: 23, values: [52, 3, 12, 11, 18, 22, 1] }] } };
/** FilterTest's document. */
export const FILTER_JSON = {
  "int-key": 1,
  "long-key": 3000000000,
  "double-key": 10.1,
  "boolean-key": true,
  "null-key": null,
  "string-key": "string",
  "string-key-empty": "",
  "char-key": "c",
  "arr-empty": [],
  "int-arr": [0, 1, 2, 3, 4],
  "string-arr": ["a", "b", "c", "d", "e"],
  obj: { foo: "bar" },
};
/** The logs document each PathCompilerTest issue_predicate_* test builds (one message per test, gathered here). */
export const LOGS = {
  logs: [
    { message: "it\\", id: 1 },
    { message: "(it", id: 2 },
    { message: "it", id: 3 },
    { message: "&& it", id: 4 },
    { message: '"it"', id: 5 },
    { message: "'it'", id: 6 },
    { message: "] it", id: 7 },
  ],
};
export const ARRAY = [1, 3, 5, 7, 8, 13, 20];

export type Expectation =
  | { value: unknown }
  /** Unordered comparison, for Jayway assertions written with containsOnly / containsAll. */
  | { members: unknown[] }
  | { notFound: true }
  | { invalid: true }
  | { functionError: true }
  /** Filter.parse(filter).apply(document): true when the filter accepts the document itself. */
  | { accepts: boolean };

export interface JaywayCase {
  source: string;
  doc: unknown;
  path: string;
  expect: Expectation;
  criteria?: true;
}

const T = "json-path/src/test/java/com/jayway/jsonpath";
const c = (source: string, doc: unknown, path: string, expect: Expectation, criteria?: true): JaywayCase => ({ source: `${T}/${source}`, doc, path, expect, ...(criteria ? { criteria } : {}) });
const main = (source: string, doc: unknown, path: string, expect: Expectation): JaywayCase => ({ source: `json-path/src/main/java/com/jayway/jsonpath/${source}`, doc, path, expect });
const readme = (example: string, doc: unknown, path: string, expect: Expectation): JaywayCase => ({ source: `README.md#path-examples ${example}`, doc, path, expect });
const filter = (method: string, filterText: string, accepts: boolean, criteria?: true) => c(`FilterTest.java#${method}`, FILTER_JSON, `$${filterText}`, { accepts }, criteria);

export const CASES: JaywayCase[] = [
  // ArraySlicingTest: indexes, slices, negative slices
  c("old/ArraySlicingTest.java#get_by_position", ARRAY, "$[3]", { value: 7 }),
  c("old/ArraySlicingTest.java#get_from_index", ARRAY, "$[:3]", { value: [1, 3, 5] }),
  c("old/ArraySlicingTest.java#get_between_index", ARRAY, "$[1:5]", { value: [3, 5, 7, 8] }),
  c("old/ArraySlicingTest.java#get_between_index_2", ARRAY, "$[0:1]", { value: [1] }),
  c("old/ArraySlicingTest.java#get_between_index_3", ARRAY, "$[0:2]", { value: [1, 3] }),
  c("old/ArraySlicingTest.java#get_between_index_out_of_bounds", ARRAY, "$[1:15]", { value: [3, 5, 7, 8, 13, 20] }),
  c("old/ArraySlicingTest.java#get_from_tail_index", ARRAY, "$[-3:]", { value: [8, 13, 20] }),
  c("old/ArraySlicingTest.java#get_from_tail", ARRAY, "$[3:]", { value: [7, 8, 13, 20] }),
  c("old/ArraySlicingTest.java#get_indexes", ARRAY, "$[0,1,2]", { value: [1, 3, 5] }),

  // README examples (json-path/JsonPath README.md, "Path Examples"), on Jayway's store document
  readme("$..book[-2]", JSON_DOCUMENT, "$..book[-2]", { value: [JSON_DOCUMENT.store.book[2]] }),
  readme("$..book[-2:]", JSON_DOCUMENT, "$..book[-2:]", { value: JSON_DOCUMENT.store.book.slice(2) }),
  readme("$..book[0,1]", JSON_DOCUMENT, "$..book[0,1]", { value: JSON_DOCUMENT.store.book.slice(0, 2) }),
  readme("$..book.length()", JSON_DOCUMENT, "$..book.length()", { value: 4 }),
  readme("$..author", JSON_DOCUMENT, "$..author", { value: ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"] }),
  readme("$.store.book[*].author", JSON_DOCUMENT, "$.store.book[*].author", { value: ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"] }),
  readme("$..book[?(@.isbn)]", JSON_DOCUMENT, "$..book[?(@.isbn)].title", { value: ["Moby Dick", "The Lord of the Rings"] }),

  // InlineFilterTest
  c("InlineFilterTest.java#root_context_can_be_referred_in_predicate", JSON_DOCUMENT, "store.book[?(@.display-price <= $.max-price)].display-price", { members: [8.95, 8.99] }),
  c("InlineFilterTest.java#multiple_context_object_can_be_refered", JSON_DOCUMENT, "store.book[ ?(@.category == @.category) ]", { value: JSON_DOCUMENT.store.book }),
  c("InlineFilterTest.java#multiple_context_object_can_be_refered", JSON_DOCUMENT, "store.book[ ?(@.category == @['category']) ]", { value: JSON_DOCUMENT.store.book }),
  c("InlineFilterTest.java#multiple_context_object_can_be_refered", JSON_DOCUMENT, "store.book[ ?(@ == @) ]", { value: JSON_DOCUMENT.store.book }),
  c("InlineFilterTest.java#multiple_context_object_can_be_refered", JSON_DOCUMENT, "store.book[ ?(@.category != @.category) ]", { value: [] }),
  c("InlineFilterTest.java#multiple_context_object_can_be_refered", JSON_DOCUMENT, "store.book[ ?(@.category != @) ]", { value: JSON_DOCUMENT.store.book }),
  c("InlineFilterTest.java#simple_inline_or_statement_evaluates", JSON_DOCUMENT, "store.book[ ?(@.author == 'Nigel Rees' || @.author == 'Evelyn Waugh') ].author", { value: ["Nigel Rees", "Evelyn Waugh"] }),
  c("InlineFilterTest.java#simple_inline_or_statement_evaluates", JSON_DOCUMENT, "store.book[ ?((@.author == 'Nigel Rees' || @.author == 'Evelyn Waugh') && @.display-price < 15) ].author", { value: ["Nigel Rees", "Evelyn Waugh"] }),
  c("InlineFilterTest.java#simple_inline_or_statement_evaluates", JSON_DOCUMENT, "store.book[ ?((@.author == 'Nigel Rees' || @.author == 'Evelyn Waugh') && @.category == 'reference') ].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#simple_inline_or_statement_evaluates", JSON_DOCUMENT, "store.book[ ?((@.author == 'Nigel Rees') || (@.author == 'Evelyn Waugh' && @.category != 'fiction')) ].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#no_path_ref_in_filter_hit_all", JSON_DOCUMENT, "$.store.book[?('a' == 'a')].author", { value: ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"] }),
  c("InlineFilterTest.java#no_path_ref_in_filter_hit_none", JSON_DOCUMENT, "$.store.book[?('a' == 'b')].author", { value: [] }),
  c("InlineFilterTest.java#path_can_be_on_either_side_of_operator", JSON_DOCUMENT, "$.store.book[?(@.category == 'reference')].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#path_can_be_on_either_side_of_operator", JSON_DOCUMENT, "$.store.book[?('reference' == @.category)].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#patterns_can_be_evaluated", JSON_DOCUMENT, "$.store.book[?(@.category =~ /reference/)].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#patterns_can_be_evaluated", JSON_DOCUMENT, "$.store.book[?(/reference/ =~ @.category)].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#patterns_can_be_evaluated_with_ignore_case", JSON_DOCUMENT, "$.store.book[?(@.category =~ /REFERENCE/)].author", { value: [] }),
  c("InlineFilterTest.java#patterns_can_be_evaluated_with_ignore_case", JSON_DOCUMENT, "$.store.book[?(@.category =~ /REFERENCE/i)].author", { value: ["Nigel Rees"] }),
  c("InlineFilterTest.java#negate_exists_check", JSON_DOCUMENT, "$.store.book[?(@.isbn)].author", { value: ["Herman Melville", "J. R. R. Tolkien"] }),
  c("InlineFilterTest.java#negate_exists_check", JSON_DOCUMENT, "$.store.book[?(!@.isbn)].author", { value: ["Nigel Rees", "Evelyn Waugh"] }),
  c("InlineFilterTest.java#negate_exists_check_primitive", [0, 1, null, 2, 3], "$[?(@)]", { value: [0, 1, null, 2, 3] }),
  c("InlineFilterTest.java#negate_exists_check_primitive", [0, 1, null, 2, 3], "$[?(@ != null)]", { value: [0, 1, 2, 3] }),
  c("InlineFilterTest.java#negate_exists_check_primitive", [0, 1, null, 2, 3], "$[?(!@)]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5" }], "$[?(@.value=='5')]", { value: [{ value: "5" }] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: 5 }], "$[?(@.value==5)]", { value: [{ value: 5 }] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5.1.26" }], "$[?(@.value=='5.1.26')]", { value: [{ value: "5.1.26" }] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5" }], "$[?(@.value=='5.1.26')]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: 5 }], "$[?(@.value=='5.1.26')]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: 5.1 }], "$[?(@.value=='5.1.26')]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5.1.26" }], "$[?(@.value=='5')]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5.1.26" }], "$[?(@.value==5)]", { value: [] }),
  c("InlineFilterTest.java#equality_check_does_not_break_evaluation", [{ value: "5.1.26" }], "$[?(@.value==5.1)]", { value: [] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: "5" }], "$[?(@.value<'7')]", { value: [{ value: "5" }] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: "7" }], "$[?(@.value<'5')]", { value: [] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: 5 }], "$[?(@.value<7)]", { value: [{ value: 5 }] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: 7 }], "$[?(@.value<5)]", { value: [] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: 5 }], "$[?(@.value<7.1)]", { value: [{ value: 5 }] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: 5.1 }], "$[?(@.value<7)]", { value: [{ value: 5.1 }] }),
  c("InlineFilterTest.java#lt_check_does_not_break_evaluation", [{ value: 7.1 }], "$[?(@.value<5)]", { value: [] }),
  c("InlineFilterTest.java#escaped_literals", ["'foo"], "$[?(@ == '\\'foo')]", { value: ["'foo"] }),
  c("InlineFilterTest.java#escape_pattern", ["x"], "$[?(@ =~ /\\/|x/)]", { value: ["x"] }),
  c("InlineFilterTest.java#escape_pattern_after_literal", ["x"], '$[?(@ == "abc" || @ =~ /\\/|x/)]', { value: ["x"] }),
  c("InlineFilterTest.java#escape_pattern_before_literal", ["x"], '$[?(@ =~ /\\/|x/ || @ == "abc")]', { value: ["x"] }),
  c("InlineFilterTest.java#filter_evaluation_does_not_break_path_evaluation", [{ s: "fo", expected_size: "m" }, { s: "lo", expected_size: 2 }], "$[?(@.s size @.expected_size)]", { value: [{ s: "lo", expected_size: 2 }] }),

  // FilterTest: operators, through Filter.parse or the equivalent of a Criteria
  filter("int_eq_string_evals", "[?(1 == '1')]", true),
  filter("int_eq_string_evals", "[?('1' == 1)]", true),
  filter("int_eq_string_evals", "[?(1 === '1')]", false),
  filter("int_eq_string_evals", "[?('1' === 1)]", false),
  filter("int_eq_string_evals", "[?(1 === 1)]", true),
  filter("int_eq_evals", "[?(@['int-key'] == 1)]", true, true),
  filter("int_eq_evals", "[?(@['int-key'] == 666)]", false, true),
  filter("int_eq_string_evals", "[?(@['int-key'] == '1')]", true, true),
  filter("long_eq_evals", "[?(@['long-key'] == 3000000000)]", true, true),
  filter("double_eq_evals", "[?(@['double-key'] == 10.10)]", true, true),
  filter("double_eq_evals", "[?(@['double-key'] == 10.11)]", false, true),
  filter("null_eq_evals", "[?(@['null-key'] == null)]", true, true),
  filter("null_eq_evals", "[?(@['string-key'] == null)]", false, true),
  filter("arr_eq_evals", "[?(@['arr-empty'] == [])]", true, true),
  filter("arr_eq_evals", "[?(@['int-arr'] == [0,1,2,3,4])]", true, true),
  filter("arr_eq_evals", "[?(@['int-arr'] == [0,1,2,3])]", false, true),
  filter("null_ne_evals", "[?(@['null-key'] != '666')]", true, true),
  filter("string_lt_evals", "[?(@['char-key'] < 'x')]", true, true),
  filter("string_lt_evals", "[?(@['char-key'] < 'a')]", false, true),
  filter("string_regex_evals", "[?(@['string-key'] =~ /^string$/)]", true, true),
  filter("string_regex_evals", "[?(@['string-key'] =~ /^tring$/)]", false, true),
  filter("string_regex_evals", "[?(@['null-key'] =~ /^string$/)]", false, true),
  filter("string_regex_evals", "[?(@['int-key'] =~ /^string$/)]", false, true),
  filter("list_regex_evals", "[?(@['string-arr'] =~ /^d$/)]", true, true),
  filter("list_regex_evals", "[?(@['string-arr'] =~ /^q$/)]", false, true),
  filter("obj_regex_doesnt_break", "[?(@['obj'] =~ /^foo$/)]", false, true),
  filter("string_in_evals", "[?(@['string-key'] in ['a', null, 'string'])]", true, true),
  filter("string_in_evals", "[?(@['string-key'] in ['a', null])]", false, true),
  filter("string_in_evals", "[?(@['null-key'] in ['a', null])]", true, true),
  filter("string_in_evals", "[?(@['null-key'] in ['a', 'b'])]", false, true),
  filter("string_in_evals", "[?(@['string-arr'] in ['a'])]", false, true),
  filter("string_nin_evals", "[?(@['string-key'] nin ['a', null, 'string'])]", false, true),
  filter("string_nin_evals", "[?(@['string-key'] nin ['a', null])]", true, true),
  filter("string_nin_evals", "[?(@['string-arr'] nin ['a'])]", true, true),
  filter("int_all_evals", "[?(@['int-arr'] all [0,1])]", true, true),
  filter("int_all_evals", "[?(@['int-arr'] all [0,7])]", false, true),
  filter("not_array_all_evals", "[?(@['string-key'] all ['a','b'])]", false, true),
  filter("array_size_evals", "[?(@['string-arr'] size 5)]", true, true),
  filter("array_size_evals", "[?(@['string-arr'] size 7)]", false, true),
  filter("string_size_evals", "[?(@['string-key'] size 6)]", true, true),
  filter("other_size_evals", "[?(@['int-key'] size 6)]", false, true),
  filter("null_size_evals", "[?(@['null-key'] size 6)]", false, true),
  filter("array_subsetof_evals", "[?(@['string-arr'] subsetof ['a','b','c','d','e','f','g'])]", true, true),
  filter("array_subsetof_evals", "[?(@['string-arr'] subsetof ['e','d','b','c','a'])]", true, true),
  filter("array_subsetof_evals", "[?(@['string-arr'] subsetof ['a','b','c','d'])]", false, true),
  filter("array_anyof_evals", "[?(@['string-arr'] anyof ['a','z'])]", true, true),
  filter("array_anyof_evals", "[?(@['string-arr'] anyof ['x','y','z'])]", false, true),
  filter("array_noneof_evals", "[?(@['string-arr'] noneof ['a','z'])]", false, true),
  filter("array_noneof_evals", "[?(@['string-arr'] noneof ['x','y','z'])]", true, true),
  filter("exists_evals", "[?(@['string-key'])]", true, true),
  filter("exists_evals", "[?(!@['string-key'])]", false, true),
  filter("exists_evals", "[?(@['missing-key'])]", false, true),
  filter("exists_evals", "[?(!@['missing-key'])]", true, true),
  filter("empty_evals", "[?(@['string-key'] empty false)]", true, true),
  filter("empty_evals", "[?(@['string-key'] empty true)]", false, true),
  filter("empty_evals", "[?(@['string-key-empty'] empty true)]", true, true),
  filter("empty_evals", "[?(@['int-arr'] empty false)]", true, true),
  filter("empty_evals", "[?(@['arr-empty'] empty true)]", true, true),
  filter("empty_evals", "[?(@['null-key'] empty true)]", false, true),
  filter("empty_evals", "[?(@['null-key'] empty false)]", false, true),
  c("FilterTest.java#testFilterWithOrShortCircuit1", { firstname: "Bob", surname: "Smith", age: 30 }, "$[?((@.firstname == 'Bob' || @.firstname == 'Jane') && @.surname == 'Doe')]", { accepts: false }),
  c("FilterTest.java#testFilterWithOrShortCircuit2", { firstname: "Bob", surname: "Smith", age: 30 }, "$[?((@.firstname == 'Bob' || @.firstname == 'Jane') && @.surname == 'Smith')]", { accepts: true }),
  c("FilterTest.java#json_evals", { foo: [1, 2], bar: { a: true } }, "$[?(@.foo == [1,2])]", { accepts: true }),

  // Functions: NumericPathFunctionTest, SequentialPathFunctionTest, JSONEntityPathFunctionTest, KeySetFunctionTest
  c("internal/function/NumericPathFunctionTest.java#testAverageOfDoubles", NUMBER_SERIES, "$.numbers.avg()", { value: 5.5 }),
  c("internal/function/NumericPathFunctionTest.java#testAverageOfEmptyListNegative", NUMBER_SERIES, "$.empty.avg()", { functionError: true }),
  c("internal/function/NumericPathFunctionTest.java#testSumOfDouble", NUMBER_SERIES, "$.numbers.sum()", { value: 55 }),
  c("internal/function/NumericPathFunctionTest.java#testSumOfEmptyListNegative", NUMBER_SERIES, "$.empty.sum()", { functionError: true }),
  c("internal/function/NumericPathFunctionTest.java#testMaxOfDouble", NUMBER_SERIES, "$.numbers.max()", { value: 10 }),
  c("internal/function/NumericPathFunctionTest.java#testMinOfDouble", NUMBER_SERIES, "$.numbers.min()", { value: 1 }),
  c("internal/function/NumericPathFunctionTest.java#testStdDevOfDouble", NUMBER_SERIES, "$.numbers.stddev()", { value: 2.8722813232690143 }),
  c("internal/function/NumericPathFunctionTest.java#testStddevOfEmptyListNegative", NUMBER_SERIES, "$.empty.stddev()", { functionError: true }),
  c("internal/function/SequentialPathFunctionTest.java#testFirstOfNumbers", NUMBER_SERIES, "$.numbers.first()", { value: 1 }),
  c("internal/function/SequentialPathFunctionTest.java#testLastOfNumbers", NUMBER_SERIES, "$.numbers.last()", { value: 10 }),
  c("internal/function/SequentialPathFunctionTest.java#testIndexOfNumbers", NUMBER_SERIES, "$.numbers.index(0)", { value: 1 }),
  c("internal/function/SequentialPathFunctionTest.java#testIndexOfNumbers", NUMBER_SERIES, "$.numbers.index(-1)", { value: 10 }),
  c("internal/function/SequentialPathFunctionTest.java#testIndexOfNumbers", NUMBER_SERIES, "$.numbers.index(1)", { value: 2 }),
  c("internal/function/SequentialPathFunctionTest.java#testFirstOfText", TEXT_SERIES, "$.text.first()", { value: "a" }),
  c("internal/function/SequentialPathFunctionTest.java#testLastOfText", TEXT_SERIES, "$.text.last()", { value: "f" }),
  c("internal/function/SequentialPathFunctionTest.java#testIndexOfText", TEXT_SERIES, "$.text.index(-1)", { value: "f" }),
  c("internal/function/JSONEntityPathFunctionTest.java#testLengthOfTextArray", TEXT_SERIES, "$['text'].length()", { value: 6 }),
  c("internal/function/JSONEntityPathFunctionTest.java#testLengthOfTextArray", TEXT_SERIES, "$['text'].size()", { value: 6 }),
  c("internal/function/JSONEntityPathFunctionTest.java#testLengthOfNumberArray", NUMBER_SERIES, "$.numbers.length()", { value: 10 }),
  c("internal/function/JSONEntityPathFunctionTest.java#testLengthOfStructure", BATCH_JSON, "$.batches.length()", { value: 2 }),
  c("internal/function/JSONEntityPathFunctionTest.java#testPredicateWithFunctionCallSingleMatch", BATCH_JSON, "$.batches.results[?(@.values.length() >= $.batches.minBatchSize)].values.avg()", { value: [12.2] }),
  c("internal/function/JSONEntityPathFunctionTest.java#testPredicateWithFunctionCallTwoMatches", BATCH_JSON, "$.batches.results[?(@.values.length() >= 3)].values.avg()", { value: [12.2, 17] }),
  c("internal/function/KeySetFunctionTest.java#testKeySet", { data: { a: 1, b: 2 } }, "$.data.keys()", { members: ["a", "b"] }),

  // DeepScanTest
  c("DeepScanTest.java#when_deep_scanning_non_array_subscription_is_ignored", { x: [0, 1, [0, 1, 2, 3, null], null] }, "$..[2][3]", { members: [3] }),
  c("DeepScanTest.java#when_deep_scanning_non_array_subscription_is_ignored", { x: [0, 1, [0, 1, 2, 3, null], null], y: [0, 1, 2] }, "$..[2][3]", { members: [3] }),
  c("DeepScanTest.java#when_deep_scanning_null_subscription_is_ignored", { x: [null, null, [0, 1, 2, 3, null], null] }, "$..[2][3]", { members: [3] }),
  c("DeepScanTest.java#when_deep_scanning_array_index_oob_is_ignored", { x: [0, 1, [0, 1, 2, 3, 10], null] }, "$..[4]", { members: [10] }),
  c("DeepScanTest.java#when_deep_scanning_illegal_property_access_is_ignored", { x: { foo: { bar: 4 } }, y: { foo: 1 } }, "$..foo.bar", { members: [4] }),
  c("DeepScanTest.java#when_deep_scanning_illegal_property_access_is_ignored", { x: { foo: { bar: 4 } }, y: { foo: 1 } }, "$..[*].foo.bar", { members: [4] }),
  c("DeepScanTest.java#when_deep_scanning_illegal_property_access_is_ignored", { x: { foo: { baz: 4 } }, y: { foo: 1 } }, "$..[*].foo.bar", { value: [] }),

  // Definite paths that do not resolve (PathNotFoundException), bracket notation, implicit $.
  c("old/IssuesTest.java#issue_11b", { foo: [] }, "$.foo[0].uri", { notFound: true }),
  c("old/IssuesTest.java#issue_11", { foo: [] }, "$.foo[?(@.rel == 'item')][0].uri", { value: [] }),
  c("old/IssuesTest.java#issue_26", [{ a: [{ b: 1, c: 2 }] }], "$.a", { notFound: true }),
  c("old/IssuesTest.java#issue_29_b", { data: { passes: null, completed: null }, version: 1371160528774 }, "$.data.passes[0].id", { notFound: true }),
  c("OptionsTest.java#a_leafs_is_not_defaulted_to_null", { foo: "bar" }, "$.baz", { notFound: true }),
  c("old/JsonPathTest.java#access_index_out_of_bounds_does_not_throw_exception", JSON_DOCUMENT, "$.store.book[100].author", { notFound: true }),
  c("old/JsonPathTest.java#bracket_notation_can_be_used_in_path", JSON_DOCUMENT, "$.['store'].bicycle.['dot.notation']", { value: "new" }),
  c("old/JsonPathTest.java#bracket_notation_can_be_used_in_path", JSON_DOCUMENT, "$['store']['bicycle']['dot.notation']", { value: "new" }),
  c("old/JsonPathTest.java#bracket_notation_can_be_used_in_path", JSON_DOCUMENT, "$.['store'].['bicycle'].['dot.notation']", { value: "new" }),
  c("old/JsonPathTest.java#bracket_notation_can_be_used_in_path", JSON_DOCUMENT, "$['store']['bicycle']['dash-notation']", { value: "dashes" }),
  c("old/JsonPathTest.java#bracket_notation_can_be_used_in_path", JSON_DOCUMENT, "$['store']['bicycle']['foo:bar']", { value: "fooBar" }),
  c("MultiPropTest.java#multi_prop_can_be_read_from_root", { a: "a-val", b: "b-val", c: "c-val" }, "$['a', 'b']", { value: { a: "a-val", b: "b-val" } }),
  c("MultiPropTest.java#multi_prop_can_be_read_from_root", { a: "a-val", b: "b-val", c: "c-val" }, "$['a', 'd']", { value: { a: "a-val" } }),
  c("MultiPropTest.java#multi_props_can_be_non_leafs", { a: { v: 5 }, b: { v: 4 }, c: { v: 1 } }, "$['a', 'c'].v", { members: [5, 1] }),
  c("MultiPropTest.java#nonexistent_non_leaf_multi_props_ignored", { a: { v: 5 }, b: { v: 4 }, c: { v: 1 } }, "$['d', 'a', 'c', 'm'].v", { members: [5, 1] }),
  c("PathCompilerTest.java#a_path_may_not_end_with_period", JSON_DOCUMENT, "$.", { invalid: true }),
  c("PathCompilerTest.java#a_path_may_not_end_with_period_2", JSON_DOCUMENT, "$.prop.", { invalid: true }),
  c("PathCompilerTest.java#a_path_may_not_end_with_scan", JSON_DOCUMENT, "$..", { invalid: true }),
  c("PathCompilerTest.java#a_path_may_not_end_with_scan_2", JSON_DOCUMENT, "$.prop..", { invalid: true }),
  c("PathCompilerTest.java#a_property_may_not_contain_blanks", JSON_DOCUMENT, "$.foo bar", { invalid: true }),
  c("PathCompilerTest.java#issue_predicate_can_have_escaped_backslash_in_prop", LOGS, "$.logs[?(@.message == 'it\\\\')].message", { value: ["it\\"] }),
  c("PathCompilerTest.java#issue_predicate_can_have_bracket_in_regex", LOGS, "$.logs[?(@.message =~ /\\(it/)].message", { value: ["(it"] }),
  c("PathCompilerTest.java#issue_predicate_can_have_and_in_regex", LOGS, "$.logs[?(@.message =~ /&&|it/)].message", { value: ["it"] }),
  c("PathCompilerTest.java#issue_predicate_can_have_and_in_prop", LOGS, "$.logs[?(@.message == '&& it')].message", { value: ["&& it"] }),
  c("PathCompilerTest.java#issue_predicate_can_have_double_quotes", LOGS, "$.logs[?(@.message == '\"it\"')].message", { value: ['"it"'] }),
  c("PathCompilerTest.java#issue_predicate_can_have_single_quotes", LOGS, `$.logs[?(@.message == "'it'")].message`, { value: ["'it'"] }),
  c("PathCompilerTest.java#issue_predicate_can_have_square_bracket_in_prop", LOGS, "$.logs[?(@.message == '] it')].message", { value: ["] it"] }),
  // Behaviour read from Jayway's source rather than a test: PathCompiler.compile prepends "$." to a path that
  // starts with neither $ nor @; PathFunctionFactory.newFunction rejects an unknown function.
  main("internal/path/PathCompiler.java#compile", JSON_DOCUMENT, "store.bicycle.color", { value: "red" }),
  main("internal/path/PathCompiler.java#compile", JSON_DOCUMENT, "['store']['bicycle']['color']", { value: "red" }),
  main("internal/function/PathFunctionFactory.java#newFunction", JSON_DOCUMENT, "$.store.nope()", { invalid: true }),

  // TYPE and MATCHES: the Criteria API's type(Class) and matches(Predicate) serialise to text that a path string
  // cannot carry. Written in a path, `TYPE java.lang.String` is no literal (FilterCompiler.readNumberLiteral, a
  // BigDecimal of "java.lang.String"): the path does not compile. With a literal right side it compiles, but
  // TypeEvaluator / PredicateMatchEvaluator ask it for a class or predicate node (ValueNode.asClassNode throws
  // "Expected class node"), and PredicatePathToken.accept takes that exception as "no match": nothing is selected.
  c("FilterParseTest.java#a_type_filter_can_be_serialized", JSON_DOCUMENT, "$.store.book[?(@['author'] TYPE java.lang.String)]", { invalid: true }),
  c("FilterParseTest.java#a_matches_filter_can_be_serialized", JSON_DOCUMENT, "$.store.book[?(@['author'] MATCHES [?(@['x'] == 1000)])]", { invalid: true }),
  main("internal/filter/EvaluatorFactory.java#TypeEvaluator", JSON_DOCUMENT, "$.store.book[?(@.author type 'java.lang.String')].title", { value: [] }),
  main("internal/filter/EvaluatorFactory.java#PredicateMatchEvaluator", JSON_DOCUMENT, "$.store.book[?(@.price matches 8.95 || @.price < 10)].title", { value: [] }),
];
