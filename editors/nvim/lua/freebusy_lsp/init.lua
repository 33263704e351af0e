-- freebusy-lsp for Neovim 0.7 and newer.
--
--   require("freebusy_lsp").setup({
--     cmd = { "freebusy-lsp" },              -- the server, over stdio
--     filetypes = { "ps1", "psm1", "psd1", "log", "text", "markdown" },
--     settings = { codes = { disabled = { "FB090" } } },  -- the `freebusyLsp` table
--     on_attach = function(client, bufnr) end,
--   })
--
-- On Neovim 0.11+ this registers a `vim.lsp.config` entry and calls `vim.lsp.enable`; on 0.7 to
-- 0.10 it starts the client itself (`vim.lsp.start_client`, one client per project root) and
-- attaches it to matching buffers on FileType and BufEnter.
local M = {}

M.name = "freebusy_lsp"

M.defaults = {
  cmd = { "freebusy-lsp" },
  filetypes = { "ps1", "psm1", "psd1", "log", "text", "markdown" },
  -- The `freebusyLsp` settings: codes.disabled, severity, slowRequestSeconds, maxDiagnostics,
  -- locale.
  settings = {},
  on_attach = nil,
  -- Extra client capabilities, merged over Neovim's (e.g. from a completion plugin).
  capabilities = nil,
  -- A directory holding one of these is the workspace root; else the file is on its own.
  root_markers = { ".git" },
  -- Give `*.log` files the `log` filetype (Neovim has no such detection of its own).
  detect_log = true,
}

local uv = vim.uv or vim.loop
local group_name = "freebusy_lsp"

-- Options of the last setup() call.
M.options = nil
-- Legacy path (before 0.11): client id per root directory ("" for files outside any root).
local clients_by_root = {}
local warned_missing = false

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function modern()
  return type(vim.lsp.config) ~= "nil" and type(vim.lsp.enable) == "function"
end

local function notify(msg, level)
  vim.notify("freebusy-lsp: " .. msg, level or vim.log.levels.WARN)
end

--- The settings table as the server reads it: `{ freebusyLsp = {...} }`. Accepts either the inner
--- table or one already wrapped.
local function wrapped(settings)
  settings = settings or {}
  if settings.freebusyLsp ~= nil then
    return settings
  end
  if next(settings) == nil then
    return { freebusyLsp = vim.empty_dict() }
  end
  return { freebusyLsp = settings }
end

local function capabilities(extra)
  local caps = vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 answers `workspace/configuration` but does not say so; say it, so the server can
  -- ask for the settings again after `workspace/didChangeConfiguration`.
  caps.workspace = caps.workspace or {}
  caps.workspace.configuration = true
  if extra then
    caps = vim.tbl_deep_extend("force", caps, extra)
  end
  return caps
end

-- `client:notify()` from 0.11 on (the dot form is deprecated there), `client.notify()` before.
local function client_notify(client, method, params)
  if has("nvim-0.11") then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function is_fb_client(client)
  return client and client.name == M.name
end

--- Every running freebusy-lsp client, on any Neovim version.
function M.clients()
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ name = M.name })
  else
    all = vim.lsp.get_active_clients()
  end
  local out = {}
  for _, c in pairs(all) do
    if is_fb_client(c) then
      table.insert(out, c)
    end
  end
  return out
end

--- The freebusy-lsp client attached to `bufnr` (default: the current buffer), or nil.
function M.get_client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local attached
  if vim.lsp.get_clients then
    attached = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })
  else
    attached = vim.lsp.buf_get_clients(bufnr)
  end
  for _, c in pairs(attached) do
    if is_fb_client(c) then
      return c
    end
  end
  return nil
end

--- Replaces the settings of the running clients (and of clients started later) and tells the
--- server (`workspace/didChangeConfiguration`); it re-checks the open documents.
function M.update_settings(settings)
  local w = wrapped(settings)
  if M.options then
    M.options.settings = settings or {}
  end
  if modern() then
    pcall(vim.lsp.config, M.name, { settings = w, init_options = w })
  end
  for _, c in ipairs(M.clients()) do
    c.config.settings = w
    if c.settings ~= nil then
      c.settings = w -- 0.10+ reads client.settings for workspace/configuration
    end
    client_notify(c, "workspace/didChangeConfiguration", { settings = w })
  end
end

-- Directory of the nearest ancestor holding a root marker, or nil.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    for _, marker in ipairs(markers or {}) do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

local function wanted(bufnr, opts)
  if not vim.api.nvim_buf_is_valid(bufnr) or not vim.api.nvim_buf_is_loaded(bufnr) then
    return false
  end
  -- Only real files: not hover popups (markdown, buftype=nofile), help, terminals, unnamed buffers.
  if vim.bo[bufnr].buftype ~= "" or vim.api.nvim_buf_get_name(bufnr) == "" then
    return false
  end
  return vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype)
end

-- Legacy path: start (or reuse) the client for this buffer's root and attach it.
local function attach(bufnr, opts)
  if not wanted(bufnr, opts) or M.get_client(bufnr) then
    return
  end
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify("'" .. opts.cmd[1] .. "' is not executable; install it (cargo install --path server) or set `cmd`")
    end
    return
  end
  local root = find_root(vim.api.nvim_buf_get_name(bufnr), opts.root_markers)
  local key = root or ""
  local id = clients_by_root[key]
  if not (id and vim.lsp.get_client_by_id(id)) then
    local settings = wrapped(opts.settings)
    local config = {
      name = M.name,
      cmd = opts.cmd,
      root_dir = root,
      capabilities = capabilities(opts.capabilities),
      settings = settings,
      init_options = settings,
      on_attach = opts.on_attach,
      on_init = function(client)
        -- What nvim-lspconfig does too: push the settings once the server is up.
        client_notify(client, "workspace/didChangeConfiguration", { settings = client.config.settings })
      end,
      on_exit = function(_, _, client_id)
        if clients_by_root[key] == client_id then
          clients_by_root[key] = nil
        end
      end,
    }
    id = vim.lsp.start_client(config)
    if not id then
      notify("could not start " .. table.concat(opts.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[key] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function detect_log(group)
  if has("nvim-0.8") and vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { log = "log" } })
  else
    -- 0.7: filetype.vim knows no generic log type and vim.filetype.add is not used by default.
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = "*.log",
      command = "setfiletype log",
    })
  end
  -- Buffers already loaded before setup().
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.bo[b].filetype == ""
      and vim.api.nvim_buf_get_name(b):match("%.log$") then
      vim.bo[b].filetype = "log"
    end
  end
end

function M.setup(user)
  if not has("nvim-0.7") then
    notify("needs Neovim 0.7 or newer", vim.log.levels.ERROR)
    return
  end
  local opts = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), user or {})
  -- Lists are replaced, not merged index by index.
  for _, k in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if user and user[k] then
      opts[k] = user[k]
    end
  end
  if type(opts.cmd) == "string" then
    opts.cmd = { opts.cmd }
  end
  M.options = opts
  warned_missing = false

  local group = vim.api.nvim_create_augroup(group_name, { clear = true })
  if opts.detect_log then
    detect_log(group)
  end

  if modern() then
    local settings = wrapped(opts.settings)
    vim.lsp.config(M.name, {
      cmd = opts.cmd,
      filetypes = opts.filetypes,
      root_markers = opts.root_markers,
      settings = settings,
      init_options = settings,
      capabilities = capabilities(opts.capabilities),
      on_attach = opts.on_attach,
    })
    vim.lsp.enable(M.name)
    return
  end

  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      attach(args.buf, M.options)
    end,
  })
  -- Re-attach when a buffer is entered again after its client stopped, or was set up late.
  vim.api.nvim_create_autocmd("BufEnter", {
    group = group,
    callback = function(args)
      attach(args.buf, M.options)
    end,
  })
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    attach(b, opts)
  end
end

return M
