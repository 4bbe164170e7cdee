// An old library that adds an enumerable method to Object.prototype (seen in
// the wild; every for-in then sees it).
Object.prototype.extend = function () {};
Object.prototype.extra = 'x';
