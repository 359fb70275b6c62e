fx_version 'cerulean'
game 'common'

name 'sonoran_accounts'
author 'sonoran_accounts contributors'
description 'Live cache of Sonoran CAD accounts: permission checks, connect gating and job gating for other resources'
version '0.1.0'
repository 'https://github.com/sonoran-accounts/sonoran_accounts'

-- Server-only on purpose: no client_script and no `files`, so config.json (which may hold the API key)
-- and the snapshot are never sent to players. Runs on FXServer's default Node 16 and on Node 22.
server_script 'dist/server.js'
