// Placeholder entry until the FiveM layer lands: proves the bundle loads in global scope.
console.log('sonoran_accounts loading');
