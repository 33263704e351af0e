-- End-to-end test of editors/nvim against the real server, in headless Neovim 0.7+:
--   nvim --headless -u NONE -i NONE -c 'luafile tests/editors/nvim/test.lua'
-- (run.sh does this). `freebusy-lsp` must be on PATH. Exits with :cquit 1 on any failure: an
-- uncaught Lua error in a -c command does not change Neovim 0.7's exit status.
local out = io.stdout
local function say(fmt, ...)
  out:write(string.format(fmt, ...) .. "\n")
  out:flush()
end

local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local repo = vim.fn.fnamemodify(here, ":h:h:h")
local plugin_dir = repo .. "/editors/nvim"

-- Errors Neovim reports on its own (handler failures, notify(ERROR)) fail the test too.
local reported = {}
vim.notify = function(msg, level)
  say("  [notify %s] %s", tostring(level), tostring(msg))
  if level and level >= vim.log.levels.ERROR then
    table.insert(reported, msg)
  end
end

local TIMEOUT = 20000

local LOG = {
  "2024-05-01 10:00:01 INFO  availability request started",
  "2024-05-01 10:00:02 ERROR Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.",
  "2024-05-01 10:00:03 INFO  retrying",
  "2024-05-01 10:00:04 ERROR Free/busy: Failed to get ASURL. Error 8004010F.",
  "2024-05-01 10:00:05 INFO  retry scheduled",
  "2024-05-01 10:00:06 ERROR Proxy web request failed, inner exception: The request failed with HTTP status 503: Service Unavailable",
}

local function check(cond, fmt, ...)
  if not cond then
    error(string.format(fmt, ...), 2)
  end
end

local function diags(buf)
  local d = vim.diagnostic.get(buf)
  table.sort(d, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return d
end

local function describe(buf)
  local parts = {}
  for _, d in ipairs(diags(buf)) do
    table.insert(parts, string.format("%s@%d", tostring(d.code), d.lnum))
  end
  return "[" .. table.concat(parts, ", ") .. "]"
end

-- Waits until the buffer's diagnostics are exactly `want` ({ {code, lnum}, ... } in line order).
local function wait_for_diags(buf, want, what)
  local expected = {}
  for _, w in ipairs(want) do
    table.insert(expected, string.format("%s@%d", w[1], w[2]))
  end
  expected = "[" .. table.concat(expected, ", ") .. "]"
  local ok = vim.wait(TIMEOUT, function()
    return describe(buf) == expected
  end, 50)
  check(ok, "%s: expected diagnostics %s, got %s", what, expected, describe(buf))
  return diags(buf)
end

local function find(list, pred)
  for _, v in ipairs(list or {}) do
    if pred(v) then
      return v
    end
  end
end

-- The one result of a buf_request_sync from our client.
local function request(buf, client, method, params)
  local res, err = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT)
  check(res, "%s: no answer (%s)", method, tostring(err))
  local r = res[client.id]
  check(r, "%s: no answer from freebusy-lsp", method)
  check(not r.error, "%s: error %s", method, vim.inspect(r.error))
  return r.result
end

-- The LSP form of a vim.diagnostic entry (what code_action() sends as context).
local function to_lsp(d)
  local lsp = (d.user_data or {}).lsp or {}
  return {
    range = {
      start = { line = d.lnum, character = d.col },
      ["end"] = { line = d.end_lnum, character = d.end_col },
    },
    severity = d.severity,
    code = d.code,
    source = d.source,
    message = d.message,
    codeDescription = lsp.codeDescription,
    data = lsp.data,
  }
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function run()
  local v = vim.fn.api_info().version
  say("Neovim %d.%d.%d", v.major, v.minor, v.patch)
  vim.v.errmsg = ""
  check(vim.fn.executable("freebusy-lsp") == 1, "freebusy-lsp is not on PATH")
  vim.opt.runtimepath:prepend(plugin_dir)

  local attached = {}
  local fb = require("freebusy_lsp")
  fb.setup({
    -- cmd: the default, "freebusy-lsp" from PATH.
    settings = { severity = { FB031 = "warning" } },
    on_attach = function(client, bufnr)
      attached[bufnr] = client.id
    end,
  })
  -- As in a normal start-up, filetype detection comes after the user's configuration.
  vim.cmd("filetype on")

  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  local path = dir .. "/hybrid.log"
  vim.fn.writefile(LOG, path)

  -- 1. Open: *.log gets filetype "log" and the client attaches.
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == "log", "filetype of %s is %q, not log", path, vim.bo[buf].filetype)
  check(vim.wait(TIMEOUT, function()
    return attached[buf] ~= nil
  end, 50), "on_attach was not called for the log buffer")
  local client = fb.get_client(buf)
  check(client and client.id == attached[buf], "get_client() does not return the attached client")
  say("ok - attached client %d (offset encoding %s)", client.id, tostring(client.offset_encoding))

  -- 2. Three errors, with their codes; the severity setting reached the server.
  local d = wait_for_diags(buf, { { "FB012", 1 }, { "FB026", 3 }, { "FB031", 5 } }, "open")
  for _, x in ipairs(d) do
    check(x.source == "freebusy-lsp", "source of %s is %s", x.code, tostring(x.source))
  end
  check(d[1].severity == vim.diagnostic.severity.ERROR, "FB012 severity %s", tostring(d[1].severity))
  check(d[3].severity == vim.diagnostic.severity.WARN,
    "FB031 severity %s: settings.severity did not reach the server", tostring(d[3].severity))
  local href = (((d[1].user_data or {}).lsp or {}).codeDescription or {}).href
  check(type(href) == "string" and href:match("^https://"), "FB012 has no documentation link")
  say("ok - diagnostics %s", describe(buf))

  local uri = vim.uri_from_bufnr(buf)

  -- 3. Hover on the FB012 finding: its card.
  local hover = request(buf, client, "textDocument/hover", {
    textDocument = { uri = uri },
    position = { line = 1, character = 60 },
  })
  check(hover and hover.contents, "no hover on FB012")
  local card = type(hover.contents) == "table" and (hover.contents.value or "") or tostring(hover.contents)
  check(card:find("FB012", 1, true), "hover card lacks the code:\n%s", card)
  check(card:find("Set-AuthConfig", 1, true), "hover card lacks the Set-AuthConfig cmdlet:\n%s", card)
  say("ok - hover card (%d chars)", #card)

  -- 4. Code actions for the FB012 diagnostic; apply the remediation quick fix.
  local diag = to_lsp(d[1])
  local actions = request(buf, client, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = diag.range,
    context = { diagnostics = { diag } },
  })
  check(type(actions) == "table" and #actions > 0, "no code actions for FB012")
  local fix = find(actions, function(a)
    return a.kind == "quickfix" and a.edit ~= nil and vim.startswith(a.title or "", "FB012: ")
  end)
  check(fix, "no FB012 quick fix with an edit among %s", vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, actions)))
  local doc = find(actions, function(a)
    return a.title == "FB012: Show documentation"
  end)
  check(doc and doc.command and doc.command.command == "freebusy.showDocumentation",
    "no Show documentation action")
  say("ok - %d code actions, applying %q", #actions, fix.title)

  local creates = fix.edit.documentChanges and find(fix.edit.documentChanges, function(c)
    return c.kind == "create"
  end)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, l in ipairs(LOG) do
    check(lines[i] == l, "line %d changed by the fix: %q", i, tostring(lines[i]))
  end
  if creates then
    -- A client declaring create + documentChanges gets <name>.remediation.ps1 beside the log.
    local script = vim.uri_to_bufnr(creates.uri)
    local text = buffer_text(script)
    check(text:find("Set-AuthConfig", 1, true), "remediation script lacks Set-AuthConfig:\n%s", text)
    say("ok - remediation script created: %s", creates.uri)
  else
    -- Neovim 0.7 declares resourceOperations but not documentChanges: the fix is appended.
    check(#lines > #LOG, "the fix added no lines")
    local added = table.concat(vim.list_slice(lines, #LOG + 1), "\n")
    check(added:find("Set-AuthConfig -PublishCertificate", 1, true),
      "appended text lacks the Set-AuthConfig cmdlet:\n%s", added)
    say("ok - fix appended %d lines to the log", #lines - #LOG)
  end

  -- 5. Edit: drop the FB026 line (and the appended fix); the diagnostics follow.
  vim.api.nvim_buf_set_lines(buf, #LOG, -1, false, {})
  vim.api.nvim_buf_set_lines(buf, 3, 4, false, {})
  wait_for_diags(buf, { { "FB012", 1 }, { "FB031", 4 } }, "after deleting the FB026 line")
  say("ok - after the edit: %s", describe(buf))

  -- 6. Settings changed at run time: FB031 back to its default severity (error).
  fb.update_settings({ severity = {} })
  check(vim.wait(TIMEOUT, function()
    local now = diags(buf)
    return #now == 2 and now[2].severity == vim.diagnostic.severity.ERROR
  end, 50), "update_settings: FB031 is still %s", describe(buf))
  say("ok - update_settings re-checked the document")

  -- 7. A PowerShell buffer shares the client (same root: none).
  local ps1 = dir .. "/fix.ps1"
  vim.fn.writefile({ "Get-AuthConfig | FL" }, ps1)
  vim.cmd("edit " .. vim.fn.fnameescape(ps1))
  local pbuf = vim.api.nvim_get_current_buf()
  check(vim.bo[pbuf].filetype == "ps1", "filetype of fix.ps1 is %q", vim.bo[pbuf].filetype)
  check(vim.wait(TIMEOUT, function()
    return attached[pbuf] ~= nil
  end, 50), "no client attached to fix.ps1")
  check(attached[pbuf] == client.id, "fix.ps1 got client %d, not %d", attached[pbuf], client.id)
  check(#fb.clients() == 1, "%d freebusy-lsp clients running", #fb.clients())
  say("ok - fix.ps1 attached to the same client")

  -- 8. Close the log buffer; the client lives on for the other one, then stops cleanly.
  vim.cmd("bwipeout! " .. buf)
  check(not vim.api.nvim_buf_is_valid(buf), "log buffer still there")
  vim.wait(300)
  check(vim.lsp.get_client_by_id(client.id), "the client died after the buffer closed")
  local hover2 = request(pbuf, client, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(pbuf) },
    position = { line = 0, character = 3 },
  })
  check(hover2 and hover2.contents, "no hover on Get-AuthConfig after closing the log")
  vim.lsp.stop_client(client.id)
  check(vim.wait(TIMEOUT, function()
    return vim.lsp.get_client_by_id(client.id) == nil
  end, 50), "the client did not stop")
  say("ok - log buffer closed, client stopped")

  check(#reported == 0, "errors reported during the run:\n%s", table.concat(reported, "\n"))
  -- Handler and RPC errors go through nvim_err_writeln, which sets v:errmsg.
  check(vim.v.errmsg == "", "Neovim reported an error: %s", vim.v.errmsg)
  vim.fn.delete(dir, "rf")
end

local ok, err = xpcall(run, debug.traceback)
if ok then
  say("PASS: Neovim end-to-end test")
  vim.cmd("qall!")
else
  io.stderr:write("\nFAIL: " .. tostring(err) .. "\n")
  io.stderr:flush()
  vim.cmd("cquit 1")
end
