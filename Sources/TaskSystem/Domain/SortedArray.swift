// SortedArray.swift — binary search in sorted arrays (member lists, index lists).

// MARK: - Sorted-array search

extension Array where Element: Comparable {
    /// Binary search in a sorted array: the first index whose element is not below `element`,
    /// and whether the element found there equals it.
    func sortedIndex(of element: Element) -> (index: Int, found: Bool) {
        var low = 0, high = count
        while low < high {
            let mid = (low &+ high) >> 1
            if self[mid] < element { low = mid &+ 1 } else { high = mid }
        }
        return (low, low < count && self[low] == element)
    }
}
