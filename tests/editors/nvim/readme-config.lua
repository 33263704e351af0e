-- Checks, in the Neovim started by readme-config.sh with the README's configuration as init.lua,
-- that hybrid.log and rooms.ps1 attach to exactly one freebusy-lsp client, the same one, and that
-- the log gets diagnostics. Ends with :cquit 1 on failure (a Lua error alone exits 0 on 0.7).
local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. "\n")
  io.stdout:flush()
end

local function clients_of(buf)
  local ids = {}
  for id, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == "freebusy-lsp" then table.insert(ids, id) end
  end
  return ids
end

local function open(name)
  vim.cmd("edit " .. name)
  local buf = vim.api.nvim_get_current_buf()
  say("%s: filetype=%s", name, vim.bo[buf].filetype)
  local ok = vim.wait(10000, function() return #clients_of(buf) > 0 end, 50)
  if not ok then error(name .. " attached to no freebusy-lsp client (filetype " .. vim.bo[buf].filetype .. ")") end
  return buf
end

local ok, err = pcall(function()
  local log = open("hybrid.log")
  local ps1 = open("rooms.ps1")
  local a, b = clients_of(log), clients_of(ps1)
  if #a ~= 1 or #b ~= 1 then error(string.format("attached %d and %d times, expected once each", #a, #b)) end
  if a[1] ~= b[1] then error("hybrid.log and rooms.ps1 got two different servers") end
  local all = 0
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == "freebusy-lsp" then all = all + 1 end
  end
  if all ~= 1 then error(all .. " freebusy-lsp clients running, expected 1") end
  for _, buf in ipairs({ log, ps1 }) do
    local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":t")
    if not vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
      error(name .. " got no diagnostics")
    end
    say("%s: %d diagnostics", name, #vim.diagnostic.get(buf))
  end
  say("one freebusy-lsp client (id %d) for both buffers", a[1])
end)
if not ok then
  say("FAIL: %s", tostring(err))
  vim.cmd("cquit 1")
end
say("PASS: editors/README.md's Neovim 0.7-0.10 configuration")
vim.cmd("qall!")
