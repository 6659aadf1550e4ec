<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../pos/ui/about.py" line="29"/>
        <source>About POS</source>
        <translation>About POS</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="35"/>
        <source>Point of sale for Ukrainian shops. Every receipt is fiscalised through the Checkbox PRRO service, also when the shop is offline.</source>
        <translation>Point of sale for Ukrainian shops. Every receipt is fiscalised through the Checkbox PRRO service, also when the shop is offline.</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="42"/>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="44"/>
        <source>Mode:</source>
        <translation>Mode:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="45"/>
        <source>training</source>
        <translation>training</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="45"/>
        <source>real work</source>
        <translation>real work</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="52"/>
        <source>System:</source>
        <translation>System:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="54"/>
        <source>Data folder:</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="55"/>
        <source>Log folder:</source>
        <translation>Log folder:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="61"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../pos/ui/first_screen.py" line="42"/>
        <source>Starting the register…</source>
        <translation>Starting the register…</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <location filename="../pos/ui/cart_table.py" line="183"/>
        <source>Goods</source>
        <translation>Goods</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="184"/>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="185"/>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="186"/>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="187"/>
        <source>Sum</source>
        <translation>Sum</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="205"/>
        <source>Remove the line (Del)</source>
        <translation>Remove the line (Del)</translation>
    </message>
</context>
<context>
    <name>CashCountWidget</name>
    <message>
        <location filename="../pos/ui/cash_count.py" line="40"/>
        <source>{amount} UAH</source>
        <translation>{amount} UAH</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="43"/>
        <source>{amount} kop.</source>
        <translation>{amount} kop.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="95"/>
        <source>Banknotes</source>
        <translation>Banknotes</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="96"/>
        <source>Coins</source>
        <translation>Coins</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="104"/>
        <source>Type the count, or + / −; ↑ ↓ move between rows</source>
        <translation>Type the count, or + / −; ↑ ↓ move between rows</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="168"/>
        <source>Counted: {amount}</source>
        <translation>Counted: {amount}</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="49"/>
        <source>Cash in</source>
        <translation>Cash in</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="50"/>
        <source>Cash out</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="51"/>
        <source>Cash withdrawal</source>
        <translation>Cash withdrawal</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="80"/>
        <source>Reason, or type your own</source>
        <translation>Reason, or type your own</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="86"/>
        <source>Amount, UAH:</source>
        <translation>Amount, UAH:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="89"/>
        <source>Card (printed):</source>
        <translation>Card (printed):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="89"/>
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="96"/>
        <source>Card number (masked):</source>
        <translation>Card number (masked):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="97"/>
        <source>Authorisation code:</source>
        <translation>Authorisation code:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="98"/>
        <source>RRN:</source>
        <translation>RRN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="99"/>
        <source>Terminal ID:</source>
        <translation>Terminal ID:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="107"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="108"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="124"/>
        <source>Change float</source>
        <translation>Change float</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="125"/>
        <source>Cash top-up</source>
        <translation>Cash top-up</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="126"/>
        <location filename="../pos/ui/cash_ops.py" line="132"/>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="130"/>
        <source>Collection</source>
        <translation>Collection</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="131"/>
        <source>Handed to the owner</source>
        <translation>Handed to the owner</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="134"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="147"/>
        <source>No shift is open.</source>
        <translation>No shift is open.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="150"/>
        <source>Cash in the drawer: {amount}</source>
        <translation>Cash in the drawer: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="161"/>
        <source>Enter the amount, for example 150 or 150.50.</source>
        <translation>Enter the amount, for example 150 or 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="167"/>
        <source>At most two digits after the decimal point (kopecks).</source>
        <translation>At most two digits after the decimal point (kopecks).</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="169"/>
        <source>That amount is too large.</source>
        <translation>That amount is too large.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="171"/>
        <source>“{text}” is not an amount. Type digits, for example 150.50.</source>
        <translation>“{text}” is not an amount. Type digits, for example 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="176"/>
        <source>The amount must be more than zero.</source>
        <translation>The amount must be more than zero.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="207"/>
        <source>Sending to the register…</source>
        <translation>Sending to the register…</translation>
    </message>
</context>
<context>
    <name>CategoryPanel</name>
    <message>
        <location filename="../pos/ui/categories.py" line="69"/>
        <source>← All categories</source>
        <translation>← All categories</translation>
    </message>
    <message>
        <location filename="../pos/ui/categories.py" line="71"/>
        <location filename="../pos/ui/categories.py" line="122"/>
        <source>Categories</source>
        <translation>Categories</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="265"/>
        <location filename="../pos/ui/cart_dialogs.py" line="266"/>
        <source>Discount or extra charge</source>
        <translation>Discount or extra charge</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="267"/>
        <source>Apply to:</source>
        <translation>Apply to:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="269"/>
        <source>Line: {name}</source>
        <translation>Line: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="271"/>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="273"/>
        <source>Whole receipt</source>
        <translation>Whole receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="274"/>
        <source>Kind:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="275"/>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="276"/>
        <source>Extra charge</source>
        <translation>Extra charge</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="277"/>
        <source>As:</source>
        <translation>As:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="278"/>
        <source>Percent, %</source>
        <translation>Percent, %</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="279"/>
        <source>Sum, UAH</source>
        <translation>Sum, UAH</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="280"/>
        <source>Value:</source>
        <translation>Value:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="281"/>
        <source>Name (optional):</source>
        <translation>Name (optional):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="283"/>
        <source>Apply (Enter)</source>
        <translation>Apply (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="284"/>
        <source>Remove discount</source>
        <translation>Remove discount</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="285"/>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="290"/>
        <source>line: {d}</source>
        <translation>line: {d}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="292"/>
        <source>receipt: {d}</source>
        <translation>receipt: {d}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="293"/>
        <source>Now: {list}</source>
        <translation>Now: {list}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="316"/>
        <source>Type the value, e.g. 10 or 12.50.</source>
        <translation>Type the value, e.g. 10 or 12.50.</translation>
    </message>
</context>
<context>
    <name>Drill</name>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="31"/>
        <source>No fault</source>
        <translation>No fault</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="32"/>
        <source>Maintenance work (503)</source>
        <translation>Maintenance work (503)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="33"/>
        <source>Temporarily unavailable (503)</source>
        <translation>Temporarily unavailable (503)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="34"/>
        <source>Next answer lost (524)</source>
        <translation>Next answer lost (524)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="35"/>
        <source>Cashier&apos;s signature not running</source>
        <translation>Cashier&apos;s signature not running</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="38"/>
        <source>Cashier blocked (403)</source>
        <translation>Cashier blocked (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="39"/>
        <source>Cashier&apos;s key expired (403)</source>
        <translation>Cashier&apos;s key expired (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="40"/>
        <source>Register blocked (403)</source>
        <translation>Register blocked (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="41"/>
        <source>Checkbox invoice unpaid (403)</source>
        <translation>Checkbox invoice unpaid (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="42"/>
        <source>Shift opened by another program (409)</source>
        <translation>Shift opened by another program (409)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="45"/>
        <source>Unfinished transactions at the Z-report</source>
        <translation>Unfinished transactions at the Z-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="48"/>
        <source>Next receipt refused by the tax service</source>
        <translation>Next receipt refused by the tax service</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="51"/>
        <source>Next shift open refused</source>
        <translation>Next shift open refused</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="52"/>
        <source>Going online takes several calls and minutes</source>
        <translation>Going online takes several calls and minutes</translation>
    </message>
</context>
<context>
    <name>GoodsEditorDialog</name>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="66"/>
        <source>Goods</source>
        <translation>Goods</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="71"/>
        <source>Name, code or barcode</source>
        <translation>Name, code or barcode</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="73"/>
        <source>Find</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="74"/>
        <location filename="../pos/ui/goods_editor.py" line="182"/>
        <source>New good</source>
        <translation>New good</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="134"/>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="135"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="164"/>
        <source>Code:</source>
        <translation>Code:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="165"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="166"/>
        <source>Price, UAH:</source>
        <translation>Price, UAH:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="167"/>
        <source>Barcodes (space between):</source>
        <translation>Barcodes (space between):</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="168"/>
        <source>Tax letters:</source>
        <translation>Tax letters:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="169"/>
        <source>Unit:</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="170"/>
        <source>Category:</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="171"/>
        <source>Weighed:</source>
        <translation>Weighed:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="172"/>
        <source>Excise:</source>
        <translation>Excise:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="176"/>
        <source>sold by weight</source>
        <translation>sold by weight</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="177"/>
        <source>excise good</source>
        <translation>excise good</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="184"/>
        <source>Good {code}</source>
        <translation>Good {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="213"/>
        <source>Nothing found for “{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="302"/>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="342"/>
        <source>Saved: {name}</source>
        <translation>Saved: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="353"/>
        <source>Not saved: correct what is marked.</source>
        <translation>Not saved: correct what is marked.</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <location filename="../pos/ui/history_window.py" line="599"/>
        <source>Service cash out and withdrawals</source>
        <translation>Service cash out and withdrawals</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="610"/>
        <source>Sales receipts</source>
        <translation>Sales receipts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="611"/>
        <source>Return receipts</source>
        <translation>Return receipts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="612"/>
        <source>Discounts</source>
        <translation>Discounts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="613"/>
        <source>Opening float</source>
        <translation>Opening float</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="265"/>
        <source>Receipts of this shift</source>
        <translation>Receipts of this shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="265"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="267"/>
        <source>Sou&amp;rce:</source>
        <translation>Sou&amp;rce:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="268"/>
        <source>&amp;Period:</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="269"/>
        <source>From:</source>
        <translation>From:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="270"/>
        <source>To:</source>
        <translation>To:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="271"/>
        <source>&amp;Type:</source>
        <translation>&amp;Type:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="272"/>
        <source>Pa&amp;yment:</source>
        <translation>Pa&amp;yment:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="273"/>
        <source>S&amp;hift:</source>
        <translation>S&amp;hift:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="274"/>
        <source>&amp;Search:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="275"/>
        <source>&amp;Cashier:</source>
        <translation>&amp;Cashier:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="280"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="281"/>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="282"/>
        <source>This week</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="283"/>
        <source>This month</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="284"/>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="289"/>
        <source>This register</source>
        <translation>This register</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="289"/>
        <source>The whole shop</source>
        <translation>The whole shop</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="294"/>
        <source>All documents</source>
        <translation>All documents</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="295"/>
        <location filename="../pos/ui/history_window.py" line="349"/>
        <location filename="../pos/ui/history_window.py" line="363"/>
        <location filename="../pos/ui/history_window.py" line="596"/>
        <source>Sales</source>
        <translation>Sales</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="296"/>
        <location filename="../pos/ui/history_window.py" line="350"/>
        <location filename="../pos/ui/history_window.py" line="364"/>
        <location filename="../pos/ui/history_window.py" line="597"/>
        <source>Returns</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="297"/>
        <location filename="../pos/ui/history_window.py" line="598"/>
        <source>Service cash in</source>
        <translation>Service cash in</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="298"/>
        <source>Service cash out</source>
        <translation>Service cash out</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="299"/>
        <source>Cash withdrawals</source>
        <translation>Cash withdrawals</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="300"/>
        <source>Shift open/close</source>
        <translation>Shift open/close</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <source>Any payment</source>
        <translation>Any payment</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <location filename="../pos/ui/history_window.py" line="318"/>
        <location filename="../pos/ui/history_window.py" line="643"/>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <location filename="../pos/ui/history_window.py" line="319"/>
        <location filename="../pos/ui/history_window.py" line="643"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="307"/>
        <source>fiscal code or document number (Ctrl+F)</source>
        <translation>fiscal code or document number (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="308"/>
        <source>all</source>
        <translation>all</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="309"/>
        <source>any cashier</source>
        <translation>any cashier</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="311"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="312"/>
        <location filename="../pos/ui/history_window.py" line="345"/>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="313"/>
        <source>No. in shift</source>
        <translation>No. in shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="314"/>
        <source>Doc. no.</source>
        <translation>Doc. no.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="315"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="316"/>
        <source>Operation</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="317"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="320"/>
        <source>Prepaid</source>
        <translation>Prepaid</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="321"/>
        <source>Fiscal code</source>
        <translation>Fiscal code</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="322"/>
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="323"/>
        <source>Upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="326"/>
        <source>sale</source>
        <translation>sale</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="327"/>
        <source>return</source>
        <translation>return</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="331"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="332"/>
        <source>offline, not sent</source>
        <translation>offline, not sent</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="333"/>
        <source>offline, sent</source>
        <translation>offline, sent</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="335"/>
        <location filename="../pos/ui/history_window.py" line="665"/>
        <source>Receipts</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="336"/>
        <source>Shifts</source>
        <translation>Shifts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="337"/>
        <source>Charts</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="338"/>
        <source>Open receipt</source>
        <translation>Open receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="339"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="340"/>
        <source>XLSX</source>
        <translation>XLSX</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="341"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="342"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="346"/>
        <source>Opened</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="347"/>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="348"/>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="351"/>
        <location filename="../pos/ui/history_window.py" line="614"/>
        <source>Expected cash</source>
        <translation>Expected cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="352"/>
        <location filename="../pos/ui/history_window.py" line="617"/>
        <source>Counted</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="353"/>
        <location filename="../pos/ui/history_window.py" line="618"/>
        <source>Difference</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="358"/>
        <source>Sales by day</source>
        <translation>Sales by day</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="359"/>
        <source>Sales by hour</source>
        <translation>Sales by hour</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="360"/>
        <source>Payment mix</source>
        <translation>Payment mix</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="361"/>
        <source>Top goods</source>
        <translation>Top goods</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="424"/>
        <source>Counting…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="447"/>
        <source>No documents in this period.</source>
        <translation>No documents in this period.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="459"/>
        <source>{count} documents · sales {sales} · returns {returns} · cash {cash} · card {card}</source>
        <translation>{count} documents · sales {sales} · returns {returns} · cash {cash} · card {card}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="469"/>
        <source> · advances set off {prepaid}</source>
        <translation> · advances set off {prepaid}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="473"/>
        <source>The journal could not be read: {error}</source>
        <translation>The journal could not be read: {error}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="507"/>
        <source>Lines</source>
        <translation>Lines</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="507"/>
        <source>Payments</source>
        <translation>Payments</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="511"/>
        <source>Change: {sum}</source>
        <translation>Change: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="513"/>
        <source>Enter or F2: the receipt with its QR, to reprint or save as PDF</source>
        <translation>Enter or F2: the receipt with its QR, to reprint or save as PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="530"/>
        <source>Order {number}: its receipts print from the order screen (Shift+F6).</source>
        <translation>Order {number}: its receipts print from the order screen (Shift+F6).</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="535"/>
        <source>Receipts open from the register&apos;s window.</source>
        <translation>Receipts open from the register&apos;s window.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="593"/>
        <source>Z-report</source>
        <translation>Z-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="593"/>
        <source>X-report</source>
        <translation>X-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="594"/>
        <source>{report} · shift {serial}</source>
        <translation>{report} · shift {serial}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="649"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="691"/>
        <source>Saved {count} rows to {path}</source>
        <translation>Saved {count} rows to {path}</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="209"/>
        <source>Print {what}</source>
        <translation>Print {what}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="228"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="232"/>
        <source>{what} was printed.</source>
        <translation>{what} was printed.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="239"/>
        <location filename="../pos/ui/receipt_dialog.py" line="256"/>
        <source>Printing failed: {reason}</source>
        <translation>Printing failed: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="263"/>
        <source>{what} sent to the printer {name}.</source>
        <translation>{what} sent to the printer {name}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="276"/>
        <source>Save as PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="274"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="285"/>
        <source>Could not save the PDF: {reason}</source>
        <translation>Could not save the PDF: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="292"/>
        <source>Saved to {path}</source>
        <translation>Saved to {path}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../pos/ui/main_window.py" line="256"/>
        <source>TRAINING MODE — receipts are not fiscal</source>
        <translation>TRAINING MODE — receipts are not fiscal</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="257"/>
        <source>POS — training</source>
        <translation>POS — training</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="257"/>
        <source>POS</source>
        <translation>POS</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="53"/>
        <source>Help</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="61"/>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="78"/>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="85"/>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="92"/>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="100"/>
        <source>Park</source>
        <translation>Park</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="108"/>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="115"/>
        <source>Cash in/out</source>
        <translation>Cash in/out</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="268"/>
        <location filename="../pos/ui/main_window.py" line="465"/>
        <location filename="../pos/ui/window_keys.py" line="122"/>
        <source>X-report</source>
        <translation>X-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="130"/>
        <source>Z-report</source>
        <translation>Z-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="177"/>
        <source>PAY</source>
        <translation>PAY</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="261"/>
        <source>&amp;Register</source>
        <translation>&amp;Register</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="262"/>
        <source>Shift…</source>
        <translation>Shift…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="263"/>
        <location filename="../pos/ui/main_window.py" line="470"/>
        <source>Return…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="264"/>
        <source>Customer orders…</source>
        <translation>Customer orders…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="265"/>
        <source>Cash in…</source>
        <translation>Cash in…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="266"/>
        <source>Cash out…</source>
        <translation>Cash out…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="267"/>
        <location filename="../pos/ui/main_window.py" line="484"/>
        <source>Cash withdrawal by card…</source>
        <translation>Cash withdrawal by card…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="269"/>
        <location filename="../pos/ui/main_window.py" line="467"/>
        <source>Z-report (close the shift)</source>
        <translation>Z-report (close the shift)</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="270"/>
        <source>Reprint the last receipt</source>
        <translation>Reprint the last receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="271"/>
        <location filename="../pos/ui/main_window.py" line="472"/>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="272"/>
        <location filename="../pos/ui/main_window.py" line="806"/>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="273"/>
        <source>&amp;Manager</source>
        <translation>&amp;Manager</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="274"/>
        <location filename="../pos/ui/main_window.py" line="654"/>
        <source>Work offline</source>
        <translation>Work offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="275"/>
        <source>Open the cash drawer…</source>
        <translation>Open the cash drawer…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="276"/>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="278"/>
        <source>Reports…</source>
        <translation>Reports…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="279"/>
        <source>Receipts of this shift…</source>
        <translation>Receipts of this shift…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="351"/>
        <source>The shift is being closed: the register is waiting for Checkbox to confirm the Z-report.</source>
        <translation>The shift is being closed: the register is waiting for Checkbox to confirm the Z-report.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="700"/>
        <source>Goods</source>
        <translation>Goods</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="724"/>
        <source>&amp;Training drill</source>
        <translation>&amp;Training drill</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="282"/>
        <source>Tax service down</source>
        <translation>Tax service down</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="277"/>
        <source>Goods…</source>
        <translation>Goods…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="283"/>
        <source>Tax service up</source>
        <translation>Tax service up</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="284"/>
        <source>Network cut</source>
        <translation>Network cut</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="285"/>
        <source>Network restore</source>
        <translation>Network restore</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="286"/>
        <source>Checkbox fault</source>
        <translation>Checkbox fault</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="289"/>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="290"/>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="291"/>
        <location filename="../pos/ui/main_window.py" line="450"/>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="292"/>
        <source>Export diagnostics…</source>
        <translation>Export diagnostics…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="293"/>
        <source>About POS</source>
        <translation>About POS</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="52"/>
        <source>F1 — this help</source>
        <translation>F1 — this help</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="60"/>
        <source>F2 — open the shift / shift menu</source>
        <translation>F2 — open the shift / shift menu</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="70"/>
        <source>F3 — search (scan or type a name, code or barcode)</source>
        <translation>F3 — search (scan or type a name, code or barcode)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="77"/>
        <source>F4 — quantity or weight of the selected line</source>
        <translation>F4 — quantity or weight of the selected line</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="84"/>
        <source>F5 — discount or extra charge (manager&apos;s PIN)</source>
        <translation>F5 — discount or extra charge (manager&apos;s PIN)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="99"/>
        <source>F6 — park the receipt / resume a parked one</source>
        <translation>F6 — park the receipt / resume a parked one</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="107"/>
        <source>F7 — return</source>
        <translation>F7 — return</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="114"/>
        <source>F8 — cash in / cash out</source>
        <translation>F8 — cash in / cash out</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="121"/>
        <source>F9 — X-report</source>
        <translation>F9 — X-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="129"/>
        <source>F10 — Z-report (closes the shift)</source>
        <translation>F10 — Z-report (closes the shift)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="139"/>
        <source>F11 — receipts of this shift (list, receipt, reprint)</source>
        <translation>F11 — receipts of this shift (list, receipt, reprint)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="152"/>
        <source>Shift+F11 — reports: receipts history, shifts, charts (manager&apos;s PIN)</source>
        <translation>Shift+F11 — reports: receipts history, shifts, charts (manager&apos;s PIN)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="166"/>
        <source>Shift+F6 — customer orders: from the cart, advances, hand-over</source>
        <translation>Shift+F6 — customer orders: from the cart, advances, hand-over</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="176"/>
        <source>F12 — pay</source>
        <translation>F12 — pay</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="184"/>
        <source>Enter — add the highlighted good / confirm</source>
        <translation>Enter — add the highlighted good / confirm</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="192"/>
        <source>Esc — clear the search / cancel the receipt / close a dialog</source>
        <translation>Esc — clear the search / cancel the receipt / close a dialog</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="203"/>
        <source>+ / − — one piece more / less;  Del — remove the line</source>
        <translation>+ / − — one piece more / less;  Del — remove the line</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="212"/>
        <source>Ctrl+Z — undo the last change of the receipt</source>
        <translation>Ctrl+Z — undo the last change of the receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="218"/>
        <source>↑ ↓ — move in the results or in the cart</source>
        <translation>↑ ↓ — move in the results or in the cart</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="469"/>
        <source>Cash in / cash out…</source>
        <translation>Cash in / cash out…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="482"/>
        <source>Cash in (service deposit)…</source>
        <translation>Cash in (service deposit)…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="483"/>
        <source>Cash out (service withdrawal)…</source>
        <translation>Cash out (service withdrawal)…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="518"/>
        <location filename="../pos/ui/main_window.py" line="685"/>
        <source>No shift is open.</source>
        <translation>No shift is open.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="671"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="572"/>
        <source>No receipt has been made since the program started.</source>
        <translation>No receipt has been made since the program started.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="580"/>
        <source>Open the cash drawer</source>
        <translation>Open the cash drawer</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="587"/>
        <source>The cash drawer opens through an ESC/POS receipt printer. Set one up in Settings → Printer.</source>
        <translation>The cash drawer opens through an ESC/POS receipt printer. Set one up in Settings → Printer.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="599"/>
        <source>Zip (*.zip)</source>
        <translation>Zip (*.zip)</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="601"/>
        <source>Export diagnostics</source>
        <translation>Export diagnostics</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="622"/>
        <source>Diagnostics saved to {path}. It holds no secrets and no customer data.</source>
        <translation>Diagnostics saved to {path}. It holds no secrets and no customer data.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="635"/>
        <source>Finish or cancel the receipts in progress first.</source>
        <translation>Finish or cancel the receipts in progress first.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="654"/>
        <source>End offline work</source>
        <translation>End offline work</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="690"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="769"/>
        <source>The open receipt ({lines} line(s), {total}) has not been paid.</source>
        <translation>The open receipt ({lines} line(s), {total}) has not been paid.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="775"/>
        <source>{count} parked receipt(s) have not been paid.</source>
        <translation>{count} parked receipt(s) have not been paid.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="782"/>
        <source>An unpaid receipt is not a sale: nothing of it has been fiscalised, and no money is owed for it. If the customer is still here, finish it first.</source>
        <translation>An unpaid receipt is not a sale: nothing of it has been fiscalised, and no money is owed for it. If the customer is still here, finish it first.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="790"/>
        <source>{count} document(s) made while offline wait to be uploaded. They are kept safely in the journal and are uploaded by themselves at the next start, as soon as there is a connection.</source>
        <translation>{count} document(s) made while offline wait to be uploaded. They are kept safely in the journal and are uploaded by themselves at the next start, as soon as there is a connection.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="807"/>
        <source>Quit the program now?</source>
        <translation>Quit the program now?</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="809"/>
        <source>Quit anyway</source>
        <translation>Quit anyway</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="810"/>
        <source>Stay (Esc)</source>
        <translation>Stay (Esc)</translation>
    </message>
</context>
<context>
    <name>ManagerPinDialog</name>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="58"/>
        <source>Manager PIN</source>
        <translation>Manager PIN</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="59"/>
        <source>Manager&apos;s PIN required</source>
        <translation>Manager&apos;s PIN required</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="61"/>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="76"/>
        <source>Wrong PIN. Try again.</source>
        <translation>Wrong PIN. Try again.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../pos/ui/messages.py" line="39"/>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="42"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="58"/>
        <source>This quantity cannot be sold: pieces must be whole, weight at most 3 decimals, more than zero and not absurdly large. Correct the quantity.</source>
        <translation>This quantity cannot be sold: pieces must be whole, weight at most 3 decimals, more than zero and not absurdly large. Correct the quantity.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="63"/>
        <source>This barcode is not valid (wrong length or check digit). Scan it again or find the good by its name.</source>
        <translation>This barcode is not valid (wrong length or check digit). Scan it again or find the good by its name.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="68"/>
        <source>This discount is not possible: it must be more than zero and not larger than the sum it applies to (a percentage at most 100).</source>
        <translation>This discount is not possible: it must be more than zero and not larger than the sum it applies to (a percentage at most 100).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="73"/>
        <source>Enter an amount larger than zero.</source>
        <translation>Enter an amount larger than zero.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="74"/>
        <source>The cart is empty: add goods first.</source>
        <translation>The cart is empty: add goods first.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="75"/>
        <source>Enter the PIN.</source>
        <translation>Enter the PIN.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="76"/>
        <source>There is no such line in the receipt.</source>
        <translation>There is no such line in the receipt.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="80"/>
        <source>The input is not valid. Check it and try again.</source>
        <translation>The input is not valid. Check it and try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="87"/>
        <source>The cashier is not signed in (or the session has expired): sign in again.</source>
        <translation>The cashier is not signed in (or the session has expired): sign in again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="90"/>
        <source>Sign-in failed. Check the PIN and try again.</source>
        <translation>Sign-in failed. Check the PIN and try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="93"/>
        <source>No shift is open. Open a shift first (F2).</source>
        <translation>No shift is open. Open a shift first (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="96"/>
        <source>The Z-report has been sent and Checkbox has not confirmed it yet. The register asks Checkbox by itself; when the shift is closed, open a new one (F2).</source>
        <translation>The Z-report has been sent and Checkbox has not confirmed it yet. The register asks Checkbox by itself; when the shift is closed, open a new one (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="101"/>
        <source>A shift is already open: go on selling, or make the Z-report (F10) first.</source>
        <translation>A shift is already open: go on selling, or make the Z-report (F10) first.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="104"/>
        <source>The shift must close by midnight of its day (and within 24 h): make the Z-report (F10) now, then open a new shift (F2).</source>
        <translation>The shift must close by midnight of its day (and within 24 h): make the Z-report (F10) now, then open a new shift (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="109"/>
        <source>The register has been offline for almost 36 hours, the legal limit of one offline period (left: {left}). Selling is stopped until the connection is back and the offline receipts are uploaded. Check the internet connection or call the manager.</source>
        <translation>The register has been offline for almost 36 hours, the legal limit of one offline period (left: {left}). Selling is stopped until the connection is back and the offline receipts are uploaded. Check the internet connection or call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="115"/>
        <source>The register has almost used the 168 hours of offline work allowed in a calendar month (left: {left}). Selling offline is stopped: restore the connection or call the manager.</source>
        <translation>The register has almost used the 168 hours of offline work allowed in a calendar month (left: {left}). Selling offline is stopped: restore the connection or call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="121"/>
        <source>No offline fiscal codes are left, so the register cannot work offline. Restore the connection to Checkbox to receive new codes, or call the manager.</source>
        <translation>No offline fiscal codes are left, so the register cannot work offline. Restore the connection to Checkbox to receive new codes, or call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="126"/>
        <source>Unfinished operations from the last run are being settled ({count}). Wait a moment and try again.</source>
        <translation>Unfinished operations from the last run are being settled ({count}). Wait a moment and try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="131"/>
        <source>{count} transaction(s) still have to reach the tax service. Wait until the queue in the status bar is empty, then try again.</source>
        <translation>{count} transaction(s) still have to reach the tax service. Wait until the queue in the status bar is empty, then try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="136"/>
        <source>The receipt breaks a fiscal rule and was not made.</source>
        <translation>The receipt breaks a fiscal rule and was not made.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="139"/>
        <source>Checkbox refused the operation. Correct what the message says, or call the manager.</source>
        <translation>Checkbox refused the operation. Correct what the message says, or call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="143"/>
        <source>Checkbox cannot be reached and this operation needs it. Check the internet connection and try again.</source>
        <translation>Checkbox cannot be reached and this operation needs it. Check the internet connection and try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="148"/>
        <source>Nothing was found (or it cannot be used for this). Check and try again.</source>
        <translation>Nothing was found (or it cannot be used for this). Check and try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="152"/>
        <source>Only a manager can do this: ask for the manager PIN.</source>
        <translation>Only a manager can do this: ask for the manager PIN.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="155"/>
        <source>This journal may be behind Checkbox (restored from a backup, copied or recreated), so its offline codes may already be used. Restore the connection: the register reconciles with Checkbox and then works offline again.</source>
        <translation>This journal may be behind Checkbox (restored from a backup, copied or recreated), so its offline codes may already be used. Restore the connection: the register reconciles with Checkbox and then works offline again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="161"/>
        <source>Checkbox used some offline codes on its own. Restore the connection so the register can reconcile its codes before it sells offline.</source>
        <translation>Checkbox used some offline codes on its own. Restore the connection so the register can reconcile its codes before it sells offline.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="166"/>
        <source>The disk holding the journal is almost full, so no receipt can be saved safely. Free some disk space, then try again.</source>
        <translation>The disk holding the journal is almost full, so no receipt can be saved safely. Free some disk space, then try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="171"/>
        <source>This PC&apos;s clock differs from Checkbox&apos;s. Check the time and confirm it before selling offline.</source>
        <translation>This PC&apos;s clock differs from Checkbox&apos;s. Check the time and confirm it before selling offline.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="176"/>
        <source>{count} receipt(s) of this shift were being sent to Checkbox when the register stopped, and only Checkbox knows whether it fiscalised them. The Z-report waits until Checkbox has answered: restore the connection; the register asks by itself.</source>
        <translation>{count} receipt(s) of this shift were being sent to Checkbox when the register stopped, and only Checkbox knows whether it fiscalised them. The Z-report waits until Checkbox has answered: restore the connection; the register asks by itself.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="182"/>
        <source>{count} receipt(s) were being sent to Checkbox when the register stopped. Checkbox may have fiscalised them with one of this register&apos;s offline codes, so no receipt can be issued offline until Checkbox has answered: restore the connection; the register asks by itself.</source>
        <translation>{count} receipt(s) were being sent to Checkbox when the register stopped. Checkbox may have fiscalised them with one of this register&apos;s offline codes, so no receipt can be issued offline until Checkbox has answered: restore the connection; the register asks by itself.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="197"/>
        <source>The cashier&apos;s electronic signature (CheckBox Підпис) is not running, so Checkbox cannot sign anything: nothing was fiscalised. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</source>
        <translation>The cashier&apos;s electronic signature (CheckBox Підпис) is not running, so Checkbox cannot sign anything: nothing was fiscalised. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="203"/>
        <source>Checkbox has blocked this cashier (the reason is below): nothing was fiscalised. Call the manager: only Checkbox support can unblock the cashier.</source>
        <translation>Checkbox has blocked this cashier (the reason is below): nothing was fiscalised. Call the manager: only Checkbox support can unblock the cashier.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="208"/>
        <source>The cashier&apos;s signing key has expired: nothing can be fiscalised with it. The manager must get a new key and register the cashier again.</source>
        <translation>The cashier&apos;s signing key has expired: nothing can be fiscalised with it. The manager must get a new key and register the cashier again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="213"/>
        <source>This cashier is deactivated in Checkbox. The manager must register the cashier again.</source>
        <translation>This cashier is deactivated in Checkbox. The manager must register the cashier again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="217"/>
        <source>Checkbox has blocked this register: nothing can be fiscalised on it. Call the manager.</source>
        <translation>Checkbox has blocked this register: nothing can be fiscalised on it. Call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="222"/>
        <source>Checkbox has frozen this register (no receipts for a long time). The manager must pay the invoice and ask Checkbox support to unfreeze it.</source>
        <translation>Checkbox has frozen this register (no receipts for a long time). The manager must pay the invoice and ask Checkbox support to unfreeze it.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="227"/>
        <source>Checkbox services are not paid, so every register of the shop is blocked. Call the manager to pay the invoice.</source>
        <translation>Checkbox services are not paid, so every register of the shop is blocked. Call the manager to pay the invoice.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="237"/>
        <source>This register is used by another device (a duplicate of the register?). Call the manager or Checkbox support.</source>
        <translation>This register is used by another device (a duplicate of the register?). Call the manager or Checkbox support.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="242"/>
        <source>Checkbox is still processing earlier transactions, so this cannot be done yet. Wait a minute and try again; if it goes on for ten minutes, call the manager.</source>
        <translation>Checkbox is still processing earlier transactions, so this cannot be done yet. Wait a minute and try again; if it goes on for ten minutes, call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="252"/>
        <source>The tax service did not accept this receipt (the reason is below): it is NOT sold and nothing fiscal was printed. The goods are still in the receipt: try again, or call the manager if it is refused again.</source>
        <translation>The tax service did not accept this receipt (the reason is below): it is NOT sold and nothing fiscal was printed. The goods are still in the receipt: try again, or call the manager if it is refused again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="258"/>
        <source>The shift was not opened: the tax service refused its opening (the reason is below). Open it again; if it is refused again, call the manager.</source>
        <translation>The shift was not opened: the tax service refused its opening (the reason is below). Open it again; if it is refused again, call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="263"/>
        <source>Checkbox is under maintenance (until the time below). Sales go on offline; what needs Checkbox must wait until the work is over.</source>
        <translation>Checkbox is under maintenance (until the time below). Sales go on offline; what needs Checkbox must wait until the work is over.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="268"/>
        <source>Checkbox is temporarily unavailable. Try again in 2 minutes; sales go on offline meanwhile.</source>
        <translation>Checkbox is temporarily unavailable. Try again in 2 minutes; sales go on offline meanwhile.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="273"/>
        <source>Checkbox did not answer in time (524). Try again in 2 minutes; sales go on offline meanwhile.</source>
        <translation>Checkbox did not answer in time (524). Try again in 2 minutes; sales go on offline meanwhile.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="293"/>
        <source>The operation was refused ({reason}).</source>
        <translation>The operation was refused ({reason}).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="310"/>
        <source>The cashier&apos;s electronic signature (CheckBox Підпис) is not running. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</source>
        <translation>The cashier&apos;s electronic signature (CheckBox Підпис) is not running. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="318"/>
        <source>Checkbox has blocked this cashier. Call the manager: only Checkbox support can unblock the cashier.</source>
        <translation>Checkbox has blocked this cashier. Call the manager: only Checkbox support can unblock the cashier.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="326"/>
        <source>The cashier&apos;s signing key has expired. The manager must get a new key and register the cashier again.</source>
        <translation>The cashier&apos;s signing key has expired. The manager must get a new key and register the cashier again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="334"/>
        <source>Checkbox has blocked this register. Call the manager.</source>
        <translation>Checkbox has blocked this register. Call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="340"/>
        <source>Checkbox services are not paid, so every register is blocked. Call the manager.</source>
        <translation>Checkbox services are not paid, so every register is blocked. Call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="232"/>
        <location filename="../pos/ui/messages.py" line="347"/>
        <source>The shift was opened in another program (Checkbox Kasa). Finish there, or ask the manager: both at once would corrupt the register&apos;s reports.</source>
        <translation>The shift was opened in another program (Checkbox Kasa). Finish there, or ask the manager: both at once would corrupt the register&apos;s reports.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="355"/>
        <source>Checkbox is still processing transactions. Wait a minute and try again; if it goes on for ten minutes, call the manager.</source>
        <translation>Checkbox is still processing transactions. Wait a minute and try again; if it goes on for ten minutes, call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="247"/>
        <location filename="../pos/ui/messages.py" line="363"/>
        <source>Sending receipts by SMS is not enabled for this shop. Send it by e-mail, or ask the manager to enable SMS in the Checkbox cabinet.</source>
        <translation>Sending receipts by SMS is not enabled for this shop. Send it by e-mail, or ask the manager to enable SMS in the Checkbox cabinet.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="381"/>
        <source>This is not a valid number. Type it again, e.g. 125.50 or 1.250.</source>
        <translation>This is not a valid number. Type it again, e.g. 125.50 or 1.250.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="384"/>
        <source>Something went wrong: {error}. The operation may not have finished.</source>
        <translation>Something went wrong: {error}. The operation may not have finished.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="404"/>
        <source>Cannot do this</source>
        <translation>Cannot do this</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="423"/>
        <source>Information</source>
        <translation>Information</translation>
    </message>
</context>
<context>
    <name>OrderPaymentDialog</name>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="25"/>
        <source>Pay the whole rest: {amount} UAH. An order takes one advance; the rest is paid in full when the goods are handed over (or cancel the order to refund the advance).</source>
        <translation>Pay the whole rest: {amount} UAH. An order takes one advance; the rest is paid in full when the goods are handed over (or cancel the order to refund the advance).</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="43"/>
        <source>Advance for order {number}</source>
        <translation>Advance for order {number}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="45"/>
        <source>Rest of order {number}: the goods are handed over</source>
        <translation>Rest of order {number}: the goods are handed over</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="56"/>
        <source>Total {total}, paid {paid}, left to pay {left}</source>
        <translation>Total {total}, paid {paid}, left to pay {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="69"/>
        <source>Cash:</source>
        <translation>Cash:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="70"/>
        <source>Card:</source>
        <translation>Card:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="71"/>
        <source>QR code:</source>
        <translation>QR code:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="88"/>
        <source>{share} % of the order is {amount}.</source>
        <translation>{share} % of the order is {amount}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="94"/>
        <source>Change is given from cash only.</source>
        <translation>Change is given from cash only.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="96"/>
        <source>Take the money</source>
        <translation>Take the money</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="98"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="122"/>
        <source>Together: {amount}</source>
        <translation>Together: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="135"/>
        <source>“{text}” is not an amount. Type digits, for example 150.50.</source>
        <translation>“{text}” is not an amount. Type digits, for example 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="142"/>
        <source>The amount must be more than zero.</source>
        <translation>The amount must be more than zero.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="147"/>
        <source>Enter how much the customer pays.</source>
        <translation>Enter how much the customer pays.</translation>
    </message>
</context>
<context>
    <name>OrdersDialog</name>
    <message>
        <location filename="../pos/ui/orders.py" line="88"/>
        <location filename="../pos/ui/orders.py" line="91"/>
        <source>Customer orders</source>
        <translation>Customer orders</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="102"/>
        <source>New order from the cart</source>
        <translation>New order from the cart</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="104"/>
        <source>Customer&apos;s name</source>
        <translation>Customer&apos;s name</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="115"/>
        <source>Note (what, when, how)</source>
        <translation>Note (what, when, how)</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="122"/>
        <source>Create order</source>
        <translation>Create order</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="125"/>
        <source>Customer:</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="126"/>
        <source>Phone:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="127"/>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="128"/>
        <source>Due:</source>
        <translation>Due:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="129"/>
        <source>Note:</source>
        <translation>Note:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="140"/>
        <source>Find: order number, phone or name</source>
        <translation>Find: order number, phone or name</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="167"/>
        <location filename="../pos/ui/orders.py" line="398"/>
        <source>Advance</source>
        <translation>Advance</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="168"/>
        <source>Rest and hand over</source>
        <translation>Rest and hand over</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="169"/>
        <source>Payment link</source>
        <translation>Payment link</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="171"/>
        <source>Cancel order</source>
        <translation>Cancel order</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="173"/>
        <source>Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="184"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="215"/>
        <source>The cart is empty: ring up the goods first, then press Shift+F6.</source>
        <translation>The cart is empty: ring up the goods first, then press Shift+F6.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="219"/>
        <source>{count} lines, total {total}</source>
        <translation>{count} lines, total {total}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="306"/>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="307"/>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="308"/>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="309"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="310"/>
        <source>Left</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="311"/>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="334"/>
        <source>Checkbox is online: advances and payments can be taken.</source>
        <translation>Checkbox is online: advances and payments can be taken.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="339"/>
        <source>Checkbox is not reachable: prepayment receipts cannot be issued offline. Take NO money for orders now; orders can still be created and found.</source>
        <translation>Checkbox is not reachable: prepayment receipts cannot be issued offline. Take NO money for orders now; orders can still be created and found.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="346"/>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="347"/>
        <source>partly paid</source>
        <translation>partly paid</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="348"/>
        <source>paid</source>
        <translation>paid</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="349"/>
        <source>handed over</source>
        <translation>handed over</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="350"/>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="354"/>
        <location filename="../pos/ui/orders.py" line="406"/>
        <source>not confirmed</source>
        <translation>not confirmed</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="383"/>
        <source>Order {number} · {customer} · {phone} · {email}</source>
        <translation>Order {number} · {customer} · {phone} · {email}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="391"/>
        <source>Due: {date}</source>
        <translation>Due: {date}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="399"/>
        <source>After-payment</source>
        <translation>After-payment</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="400"/>
        <source>Refund</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="408"/>
        <source>{kind}: {sum} (cash {cash}, card {card}, QR {qr}) {code}</source>
        <translation>{kind}: {sum} (cash {cash}, card {card}, QR {qr}) {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="418"/>
        <source>Total {total}, paid {paid}, left to pay {left}</source>
        <translation>Total {total}, paid {paid}, left to pay {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="437"/>
        <source>Enter the customer&apos;s name or phone.</source>
        <translation>Enter the customer&apos;s name or phone.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="441"/>
        <source>Creating the order…</source>
        <translation>Creating the order…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="467"/>
        <source>Order {number} is created. Take an advance with F4.</source>
        <translation>Order {number} is created. Take an advance with F4.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="495"/>
        <source>Checkbox is not reachable, and prepayment receipts cannot be issued offline. Take NO money for this order now; try again when the register is online.</source>
        <translation>Checkbox is not reachable, and prepayment receipts cannot be issued offline. Take NO money for this order now; try again when the register is online.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="499"/>
        <source>No advances offline</source>
        <translation>No advances offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="529"/>
        <source>Sending to Checkbox…</source>
        <translation>Sending to Checkbox…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="549"/>
        <source>Advance taken for order {number}: fiscal code {code}. Print it with F9.</source>
        <translation>Advance taken for order {number}: fiscal code {code}. Print it with F9.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="551"/>
        <source>Order {number} is paid and handed over: fiscal code {code}.</source>
        <translation>Order {number} is paid and handed over: fiscal code {code}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="568"/>
        <source>Press F8 again to cancel order {number} and refund {amount}: cash {cash}, to the card {card}, QR {qr}.</source>
        <translation>Press F8 again to cancel order {number} and refund {amount}: cash {cash}, to the card {card}, QR {qr}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="583"/>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="593"/>
        <source>Order {number} is cancelled.</source>
        <translation>Order {number} is cancelled.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="604"/>
        <source>No payment link: {reason}</source>
        <translation>No payment link: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="613"/>
        <source>Payment link data for {amount} copied (cashItems, customer&apos;s contacts).</source>
        <translation>Payment link data for {amount} copied (cashItems, customer&apos;s contacts).</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="641"/>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
</context>
<context>
    <name>ParkedCartsDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="388"/>
        <location filename="../pos/ui/cart_dialogs.py" line="389"/>
        <source>Parked receipts</source>
        <translation>Parked receipts</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="394"/>
        <source>#{number}  {time}  —  {lines} line(s), {total}</source>
        <translation>#{number}  {time}  —  {lines} line(s), {total}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="401"/>
        <source>Park the current receipt (F6)</source>
        <translation>Park the current receipt (F6)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="402"/>
        <source>Resume (Enter)</source>
        <translation>Resume (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="403"/>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../pos/ui/payment.py" line="197"/>
        <source>Payment</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="198"/>
        <source>To pay:</source>
        <translation>To pay:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="199"/>
        <location filename="../pos/ui/payment.py" line="210"/>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="200"/>
        <location filename="../pos/ui/payment.py" line="202"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="201"/>
        <source>Card + cash</source>
        <translation>Card + cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="203"/>
        <source>Card part:</source>
        <translation>Card part:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="204"/>
        <source>RRN:</source>
        <translation>RRN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="205"/>
        <source>Auth code:</source>
        <translation>Auth code:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="206"/>
        <source>Card number:</source>
        <translation>Card number:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="207"/>
        <source>Payment system:</source>
        <translation>Payment system:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="211"/>
        <source>Tendered:</source>
        <translation>Tendered:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="212"/>
        <source>exact</source>
        <translation>exact</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="213"/>
        <source>Exact</source>
        <translation>Exact</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="218"/>
        <source>E-mail for the receipt:</source>
        <translation>E-mail for the receipt:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="219"/>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="220"/>
        <source>Pay (Enter)</source>
        <translation>Pay (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="221"/>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="285"/>
        <source>Cash to pay: {sum}</source>
        <translation>Cash to pay: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="288"/>
        <source>NBU cash rounding: {exact} → {rounded} ({diff})</source>
        <translation>NBU cash rounding: {exact} → {rounded} ({diff})</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="304"/>
        <source>Not enough: {sum} more</source>
        <translation>Not enough: {sum} more</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="306"/>
        <source>Change: {sum}</source>
        <translation>Change: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="372"/>
        <source>The payment does not cover the sum to pay.</source>
        <translation>The payment does not cover the sum to pay.</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="388"/>
        <source>The e-mail address does not look right.</source>
        <translation>The e-mail address does not look right.</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="392"/>
        <source>Fiscalising the receipt…</source>
        <translation>Fiscalising the receipt…</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="70"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="71"/>
        <source>OK (Enter)</source>
        <translation>OK (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="72"/>
        <source>Erase the last digit (Backspace)</source>
        <translation>Erase the last digit (Backspace)</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="138"/>
        <source>Weight</source>
        <translation>Weight</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="138"/>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="141"/>
        <source>Weight in kg (up to 3 decimals, e.g. 0.750):</source>
        <translation>Weight in kg (up to 3 decimals, e.g. 0.750):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="143"/>
        <source>Number of pieces:</source>
        <translation>Number of pieces:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="145"/>
        <source>OK (Enter)</source>
        <translation>OK (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="146"/>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>QuantityEdit</name>
    <message>
        <location filename="../pos/ui/widgets.py" line="81"/>
        <source>Type the quantity.</source>
        <translation>Type the quantity.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="90"/>
        <source>A weight has at most 3 decimals, e.g. 0.750 or 1,25.</source>
        <translation>A weight has at most 3 decimals, e.g. 0.750 or 1,25.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="95"/>
        <source>Type the number of pieces, e.g. 2.</source>
        <translation>Type the number of pieces, e.g. 2.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="99"/>
        <source>Enter a quantity larger than zero.</source>
        <translation>Enter a quantity larger than zero.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="103"/>
        <source>This good is sold in whole pieces: {text} is not a whole number. Type a whole number of pieces.</source>
        <translation>This good is sold in whole pieces: {text} is not a whole number. Type a whole number of pieces.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="359"/>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="370"/>
        <source>none given</source>
        <translation>none given</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="374"/>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="377"/>
        <source>Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="378"/>
        <source>Save PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="379"/>
        <source>Reprint</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="381"/>
        <source>Reads the receipt again (it may have been uploaded since) and prints a copy</source>
        <translation>Reads the receipt again (it may have been uploaded since) and prints a copy</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="383"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="447"/>
        <source>The copy was e-mailed to this address when the receipt was made. This register cannot send it again.</source>
        <translation>The copy was e-mailed to this address when the receipt was made. This register cannot send it again.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="454"/>
        <source>No e-mail was recorded for this receipt. This register cannot e-mail a receipt afterwards: print it or save a PDF instead.</source>
        <translation>No e-mail was recorded for this receipt. This register cannot e-mail a receipt afterwards: print it or save a PDF instead.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="475"/>
        <source>Sale</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="476"/>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="477"/>
        <source>Cash in</source>
        <translation>Cash in</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="478"/>
        <source>Cash out</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="479"/>
        <source>Cash withdrawal</source>
        <translation>Cash withdrawal</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="489"/>
        <source>fiscalised by Checkbox under its own code {code}: set aside for the manager</source>
        <translation>fiscalised by Checkbox under its own code {code}: set aside for the manager</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="492"/>
        <source>fiscalised</source>
        <translation>fiscalised</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="494"/>
        <source>fiscalised offline, waiting to be uploaded</source>
        <translation>fiscalised offline, waiting to be uploaded</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="496"/>
        <source>fiscalised offline, uploaded</source>
        <translation>fiscalised offline, uploaded</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="498"/>
        <source>void: the server&apos;s receipt replaces this copy</source>
        <translation>void: the server&apos;s receipt replaces this copy</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="500"/>
        <source>rejected: {reason}</source>
        <translation>rejected: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="501"/>
        <source>not fiscalised yet</source>
        <translation>not fiscalised yet</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="506"/>
        <source>fiscal code {code}</source>
        <translation>fiscal code {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="508"/>
        <source>TRAINING</source>
        <translation>TRAINING</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="544"/>
        <source>The receipt was printed.</source>
        <translation>The receipt was printed.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="551"/>
        <source>The receipt</source>
        <translation>The receipt</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinting</name>
    <message>
        <location filename="../pos/ui/printer_output.py" line="117"/>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="120"/>
        <source>Printer: {reason}. The receipt is saved; reprint it with Ctrl+P.</source>
        <translation>Printer: {reason}. The receipt is saved; reprint it with Ctrl+P.</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="123"/>
        <source>Printer: {reason}. {count} receipts are saved but not printed; reprint them with Ctrl+P.</source>
        <translation>Printer: {reason}. {count} receipts are saved but not printed; reprint them with Ctrl+P.</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="132"/>
        <source>not connected or switched off</source>
        <translation>not connected or switched off</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="133"/>
        <source>does not answer (out of paper, cover open?)</source>
        <translation>does not answer (out of paper, cover open?)</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="134"/>
        <source>out of paper</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="135"/>
        <source>its address in the settings is wrong</source>
        <translation>its address in the settings is wrong</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="136"/>
        <source>this printer model cannot print Ukrainian letters</source>
        <translation>this printer model cannot print Ukrainian letters</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="140"/>
        <source>error ({detail})</source>
        <translation>error ({detail})</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../pos/ui/reports.py" line="135"/>
        <source>Z-report: close the shift</source>
        <translation>Z-report: close the shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="135"/>
        <source>X-report</source>
        <translation>X-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="172"/>
        <source>Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="173"/>
        <source>Save PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="174"/>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="175"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="189"/>
        <source>Count the cash in the drawer</source>
        <translation>Count the cash in the drawer</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="202"/>
        <source>Expected:</source>
        <translation>Expected:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="203"/>
        <source>Counted:</source>
        <translation>Counted:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="204"/>
        <source>Difference:</source>
        <translation>Difference:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="209"/>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="212"/>
        <source>Counted</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="224"/>
        <source>Cash collection:</source>
        <translation>Cash collection:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="225"/>
        <source>Left for the next shift:</source>
        <translation>Left for the next shift:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="237"/>
        <source>Close the shift…</source>
        <translation>Close the shift…</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="239"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="255"/>
        <source>After the Z-report no more receipts can be made in this shift. This cannot be undone.</source>
        <translation>After the Z-report no more receipts can be made in this shift. This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="261"/>
        <source>Close the shift</source>
        <translation>Close the shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="263"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="294"/>
        <source>Making the X-report…</source>
        <translation>Making the X-report…</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="301"/>
        <source>The X-report could not be made.</source>
        <translation>The X-report could not be made.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="316"/>
        <source>The server&apos;s report is not available (the register works offline): these are the register&apos;s own totals.</source>
        <translation>The server&apos;s report is not available (the register works offline): these are the register&apos;s own totals.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="325"/>
        <source>The register&apos;s totals and the server&apos;s agree to the kopeck.</source>
        <translation>The register&apos;s totals and the server&apos;s agree to the kopeck.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="330"/>
        <source>{field}: register {local}, server {server}</source>
        <translation>{field}: register {local}, server {server}</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="336"/>
        <source>The register&apos;s totals differ from the server&apos;s: {items}</source>
        <translation>The register&apos;s totals differ from the server&apos;s: {items}</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="343"/>
        <source>{count} receipt(s) are not settled yet and are not in these totals.</source>
        <translation>{count} receipt(s) are not settled yet and are not in these totals.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="391"/>
        <source>The Z-report</source>
        <translation>The Z-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="391"/>
        <source>The X-report</source>
        <translation>The X-report</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="417"/>
        <source>No shift is open.</source>
        <translation>No shift is open.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="425"/>
        <source>{count} receipt(s) are not settled yet: the register sends them before closing.</source>
        <translation>{count} receipt(s) are not settled yet: the register sends them before closing.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="438"/>
        <source>The cash matches.</source>
        <translation>The cash matches.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="440"/>
        <source>Short by {amount}: count again before closing.</source>
        <translation>Short by {amount}: count again before closing.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="442"/>
        <source>Over by {amount}: count again before closing.</source>
        <translation>Over by {amount}: count again before closing.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="477"/>
        <source>The cash collection ({amount}) is more than the drawer holds ({balance}).</source>
        <translation>The cash collection ({amount}) is more than the drawer holds ({balance}).</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="487"/>
        <source>Close shift No. {serial} and make the Z-report?</source>
        <translation>Close shift No. {serial} and make the Z-report?</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="491"/>
        <source>Expected {expected}, counted {counted}, difference {difference}.</source>
        <translation>Expected {expected}, counted {counted}, difference {difference}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="508"/>
        <source>Cash collection {amount} goes out before the Z-report; {left} stays for the next shift.</source>
        <translation>Cash collection {amount} goes out before the Z-report; {left} stays for the next shift.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="522"/>
        <source>Closing the shift… (what is still queued is sent first)</source>
        <translation>Closing the shift… (what is still queued is sent first)</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="527"/>
        <source>The shift is still open.</source>
        <translation>The shift is still open.</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../pos/ui/returns.py" line="181"/>
        <location filename="../pos/ui/returns.py" line="224"/>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="186"/>
        <source>Fiscal code, receipt number, or scan the receipt&apos;s barcode</source>
        <translation>Fiscal code, receipt number, or scan the receipt&apos;s barcode</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="188"/>
        <source>Find</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="195"/>
        <source>Sales of the day</source>
        <translation>Sales of the day</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="206"/>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="207"/>
        <source>Fiscal code</source>
        <translation>Fiscal code</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="208"/>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="209"/>
        <source>Sum</source>
        <translation>Sum</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="210"/>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="221"/>
        <source>Good</source>
        <translation>Good</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="222"/>
        <source>Sold</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="223"/>
        <source>Can return</source>
        <translation>Can return</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="225"/>
        <source>Refund</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="240"/>
        <source>Return everything</source>
        <translation>Return everything</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="243"/>
        <location filename="../pos/ui/returns.py" line="550"/>
        <source>Make the return</source>
        <translation>Make the return</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="248"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="276"/>
        <source>Type or scan a fiscal code or receipt number.</source>
        <translation>Type or scan a fiscal code or receipt number.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="281"/>
        <source>No sale found for “{text}”.</source>
        <translation>No sale found for “{text}”.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="290"/>
        <source>No sales on {day}.</source>
        <translation>No sales on {day}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="342"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="358"/>
        <source>{count} sales found: choose one with ↑ ↓ and Enter.</source>
        <translation>{count} sales found: choose one with ↑ ↓ and Enter.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="375"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="375"/>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="421"/>
        <source>{quantity} kg</source>
        <translation>{quantity} kg</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="456"/>
        <source>Everything from this sale has been returned already.</source>
        <translation>Everything from this sale has been returned already.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="459"/>
        <source>Paid: {payments}. The money goes back the way it was paid.</source>
        <translation>Paid: {payments}. The money goes back the way it was paid.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="492"/>
        <source>To refund: {amount}</source>
        <translation>To refund: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="522"/>
        <source>Set the quantity to return on at least one line.</source>
        <translation>Set the quantity to return on at least one line.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="568"/>
        <source>Yes, make the return</source>
        <translation>Yes, make the return</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="572"/>
        <source>Refund {amount} for {lines} line(s)? Press Enter again to make the return receipt, Esc to change it.</source>
        <translation>Refund {amount} for {lines} line(s)? Press Enter again to make the return receipt, Esc to change it.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="588"/>
        <source>Making the return receipt…</source>
        <translation>Making the return receipt…</translation>
    </message>
</context>
<context>
    <name>ScanSearchInput</name>
    <message>
        <location filename="../pos/ui/search_input.py" line="51"/>
        <source>Scan a barcode or type a name / code (F3)</source>
        <translation>Scan a barcode or type a name / code (F3)</translation>
    </message>
</context>
<context>
    <name>SellingPage</name>
    <message>
        <location filename="../pos/ui/selling.py" line="227"/>
        <location filename="../pos/ui/selling.py" line="276"/>
        <source>Nothing found for “{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="305"/>
        <source>No good with the barcode {code}</source>
        <translation>No good with the barcode {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="325"/>
        <source>That was a barcode, not a quantity: {code} is scanned.</source>
        <translation>That was a barcode, not a quantity: {code} is scanned.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="361"/>
        <source>Added: {name} — {quantity}</source>
        <translation>Added: {name} — {quantity}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="386"/>
        <source>Remove a line after a discount: {name}</source>
        <translation>Remove a line after a discount: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="405"/>
        <source>Removed: {name}</source>
        <translation>Removed: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="420"/>
        <source>To take the line off, press Del.</source>
        <translation>To take the line off, press Del.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="441"/>
        <location filename="../pos/ui/selling.py" line="461"/>
        <source>The receipt is empty.</source>
        <translation>The receipt is empty.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="464"/>
        <source>Discount or extra charge</source>
        <translation>Discount or extra charge</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="505"/>
        <source>Nothing to park: the receipt is empty.</source>
        <translation>Nothing to park: the receipt is empty.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="523"/>
        <source>Receipt parked as #{number}. F6 brings it back.</source>
        <translation>Receipt parked as #{number}. F6 brings it back.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="537"/>
        <source>Receipt #{number} resumed.</source>
        <translation>Receipt #{number} resumed.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="550"/>
        <source>Nothing to undo.</source>
        <translation>Nothing to undo.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="557"/>
        <source>Undone: the receipt is as it was before the last change.</source>
        <translation>Undone: the receipt is as it was before the last change.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="584"/>
        <source>Cancel the receipt</source>
        <translation>Cancel the receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="585"/>
        <source>Remove every line of this receipt?</source>
        <translation>Remove every line of this receipt?</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="599"/>
        <source>The receipt was cancelled. Ctrl+Z brings it back.</source>
        <translation>The receipt was cancelled. Ctrl+Z brings it back.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="606"/>
        <source>The receipt is empty: scan or choose goods first.</source>
        <translation>The receipt is empty: scan or choose goods first.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="628"/>
        <source>Sold: {sum}. Receipt {code}.</source>
        <translation>Sold: {sum}. Receipt {code}.</translation>
    </message>
</context>
<context>
    <name>SetAsideList</name>
    <message>
        <location filename="../pos/ui/set_aside.py" line="44"/>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="45"/>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="46"/>
        <source>Receipt or shift</source>
        <translation>Receipt or shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="47"/>
        <source>Fiscal code</source>
        <translation>Fiscal code</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="48"/>
        <source>The server&apos;s answer</source>
        <translation>The server&apos;s answer</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="66"/>
        <source>going offline</source>
        <translation>going offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="67"/>
        <source>shift opening</source>
        <translation>shift opening</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="68"/>
        <source>shift closing (Z-report)</source>
        <translation>shift closing (Z-report)</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="69"/>
        <source>receipt</source>
        <translation>receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="70"/>
        <source>going online</source>
        <translation>going online</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="86"/>
        <source>{count} offline transaction(s) were refused by the server and set aside. The rest were uploaded. Check each one with Checkbox support.</source>
        <translation>{count} offline transaction(s) were refused by the server and set aside. The rest were uploaded. Check each one with Checkbox support.</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="91"/>
        <source>No problems: every offline transaction was accepted.</source>
        <translation>No problems: every offline transaction was accepted.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../pos/ui/settings.py" line="86"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="90"/>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="91"/>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="92"/>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="93"/>
        <source>Limits</source>
        <translation>Limits</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="94"/>
        <source>Manager PIN</source>
        <translation>Manager PIN</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="95"/>
        <source>Problems</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="97"/>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="98"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="110"/>
        <source>Training mode: a built-in test server, nothing is fiscal</source>
        <translation>Training mode: a built-in test server, nothing is fiscal</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="119"/>
        <source>stored; type a new key to replace it</source>
        <translation>stored; type a new key to replace it</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="121"/>
        <source>not set</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="129"/>
        <source>stored; type a new address to replace it</source>
        <translation>stored; type a new address to replace it</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="131"/>
        <source>optional: postgresql://user:password@host/shop</source>
        <translation>optional: postgresql://user:password@host/shop</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="133"/>
        <source>Cashier&apos;s PIN</source>
        <translation>Cashier&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="134"/>
        <source>Login and password</source>
        <translation>Login and password</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="150"/>
        <source>API address:</source>
        <translation>API address:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="151"/>
        <source>License key:</source>
        <translation>License key:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="152"/>
        <source>Cashier signs in with:</source>
        <translation>Cashier signs in with:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="153"/>
        <source>Back-office database:</source>
        <translation>Back-office database:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="162"/>
        <source>Ask every time (or save as PDF)</source>
        <translation>Ask every time (or save as PDF)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="167"/>
        <source>{name} (not found)</source>
        <translation>{name} (not found)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="170"/>
        <source>80 mm</source>
        <translation>80 mm</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="171"/>
        <source>58 mm</source>
        <translation>58 mm</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="186"/>
        <source>System printer:</source>
        <translation>System printer:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="187"/>
        <source>Paper width:</source>
        <translation>Paper width:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="188"/>
        <source>Shop name on receipts:</source>
        <translation>Shop name on receipts:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="189"/>
        <source>Shop address on receipts:</source>
        <translation>Shop address on receipts:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="198"/>
        <source>None: the system printer below, or PDF</source>
        <translation>None: the system printer below, or PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="199"/>
        <source>USB (vendor:product)</source>
        <translation>USB (vendor:product)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="200"/>
        <source>Serial port</source>
        <translation>Serial port</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="201"/>
        <source>Network (IP address:port)</source>
        <translation>Network (IP address:port)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="202"/>
        <source>Device or file (/dev/usb/lp0)</source>
        <translation>Device or file (/dev/usb/lp0)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="217"/>
        <source>Automatic (best Ukrainian code page)</source>
        <translation>Automatic (best Ukrainian code page)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="225"/>
        <source>Print every receipt at once after the sale</source>
        <translation>Print every receipt at once after the sale</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="227"/>
        <source>Open the cash drawer on cash payments</source>
        <translation>Open the cash drawer on cash payments</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="230"/>
        <source>Print test page</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="235"/>
        <source>Receipt printer:</source>
        <translation>Receipt printer:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="236"/>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="237"/>
        <source>Printer model:</source>
        <translation>Printer model:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="238"/>
        <source>Code page:</source>
        <translation>Code page:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="263"/>
        <source>The model {profile} has no Cyrillic code page: receipts cannot be printed in Ukrainian. Choose “default” (most ESC/POS printers) or another model, or use the system printer.</source>
        <translation>The model {profile} has no Cyrillic code page: receipts cannot be printed in Ukrainian. Choose “default” (most ESC/POS printers) or another model, or use the system printer.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="269"/>
        <source>The model {profile} has no {page}; it has {pages}.</source>
        <translation>The model {profile} has no {page}; it has {pages}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="275"/>
        <source>Prints with {page}.</source>
        <translation>Prints with {page}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="277"/>
        <source>CP866 has no І and Ґ: they print as I and Г.</source>
        <translation>CP866 has no І and Ґ: they print as I and Г.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="289"/>
        <source>Enter the receipt printer&apos;s address.</source>
        <translation>Enter the receipt printer&apos;s address.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="291"/>
        <source>A USB printer&apos;s address is vendor:product in hex, e.g. 04b8:0202.</source>
        <translation>A USB printer&apos;s address is vendor:product in hex, e.g. 04b8:0202.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="317"/>
        <source>Printing the test page…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="326"/>
        <source>The test page was printed.</source>
        <translation>The test page was printed.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="333"/>
        <source>The test page did not print: {reason}</source>
        <translation>The test page did not print: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="343"/>
        <source>Receipts and reports are always printed in Ukrainian.</source>
        <translation>Receipts and reports are always printed in Ukrainian.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="346"/>
        <source>Interface language:</source>
        <translation>Interface language:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="359"/>
        <source>h</source>
        <translation>h</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="372"/>
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="375"/>
        <source>The register reads these at start: they apply after a restart.</source>
        <translation>The register reads these at start: they apply after a restart.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="378"/>
        <source>Warn when the offline period (36 h) has left:</source>
        <translation>Warn when the offline period (36 h) has left:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="380"/>
        <source>Warn when the month&apos;s offline time (168 h) has left:</source>
        <translation>Warn when the month&apos;s offline time (168 h) has left:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="382"/>
        <source>Warn when the shift (24 h) has left:</source>
        <translation>Warn when the shift (24 h) has left:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="383"/>
        <source>Warn when offline codes fall to:</source>
        <translation>Warn when offline codes fall to:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="384"/>
        <source>Keep at least this many offline codes:</source>
        <translation>Keep at least this many offline codes:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="401"/>
        <source>Leave empty to keep the PIN. A new PIN has 4 to 8 digits.</source>
        <translation>Leave empty to keep the PIN. A new PIN has 4 to 8 digits.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="404"/>
        <source>Current PIN:</source>
        <translation>Current PIN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="405"/>
        <source>New PIN:</source>
        <translation>New PIN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="406"/>
        <source>New PIN again:</source>
        <translation>New PIN again:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="413"/>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="422"/>
        <source>Switching between training and real work takes effect after a restart.</source>
        <translation>Switching between training and real work takes effect after a restart.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="433"/>
        <source>Enter the API address, e.g. https://api.checkbox.ua</source>
        <translation>Enter the API address, e.g. https://api.checkbox.ua</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="436"/>
        <source>The API address must not contain spaces.</source>
        <translation>The API address must not contain spaces.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="439"/>
        <source>The API address must start with https://</source>
        <translation>The API address must start with https://</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="441"/>
        <source>The API address has no server name.</source>
        <translation>The API address has no server name.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="443"/>
        <source>Use https://: the license key must not travel unencrypted.</source>
        <translation>Use https://: the license key must not travel unencrypted.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="445"/>
        <source>The API address must not contain ? or #.</source>
        <translation>The API address must not contain ? or #.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="452"/>
        <source>Enter the register&apos;s license key (from the Checkbox cabinet).</source>
        <translation>Enter the register&apos;s license key (from the Checkbox cabinet).</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="456"/>
        <source>A license key is 16 to 64 Latin letters and digits, without spaces. Copy it again from the Checkbox cabinet.</source>
        <translation>A license key is 16 to 64 Latin letters and digits, without spaces. Copy it again from the Checkbox cabinet.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="466"/>
        <source>The current manager PIN is not right.</source>
        <translation>The current manager PIN is not right.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="468"/>
        <source>The new PIN must have 4 to 8 digits.</source>
        <translation>The new PIN must have 4 to 8 digits.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="470"/>
        <source>Choose a manager PIN other than 0000.</source>
        <translation>Choose a manager PIN other than 0000.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="472"/>
        <source>The new PIN and its repetition differ.</source>
        <translation>The new PIN and its repetition differ.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="503"/>
        <source>Before real work, set a new manager PIN (not 0000).</source>
        <translation>Before real work, set a new manager PIN (not 0000).</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="517"/>
        <source>The back-office database must be a postgresql:// address.</source>
        <translation>The back-office database must be a postgresql:// address.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="576"/>
        <source>The settings could not be written: {reason}</source>
        <translation>The settings could not be written: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="593"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="595"/>
        <source>Saved. Restart the program for the new connection and limits to apply.</source>
        <translation>Saved. Restart the program for the new connection and limits to apply.</translation>
    </message>
</context>
<context>
    <name>ShiftOpenPage</name>
    <message>
        <location filename="../pos/ui/shift_open.py" line="93"/>
        <source>Open the shift</source>
        <extracomment>The open ended, opened or refused: the window routes again (it stays here meanwhile). True from &quot;Open&quot; until the float is booked: the shift is opened on Checkbox before its float&apos;s service receipt, and the selling screen must not show a half-opened shift.</extracomment>
        <translation>Open the shift</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="95"/>
        <source>Opening float: the cash the drawer should hold (empty: as carried), Enter</source>
        <translation>Opening float: the cash the drawer should hold (empty: as carried), Enter</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="99"/>
        <source>Open shift (Enter)</source>
        <translation>Open shift (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="122"/>
        <source>Carried from the last shift: {amount}. Only the difference to the float is booked (in or out).</source>
        <translation>Carried from the last shift: {amount}. Only the difference to the float is booked (in or out).</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="153"/>
        <source>Opening the shift…</source>
        <translation>Opening the shift…</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../pos/ui/first_screen.py" line="31"/>
        <location filename="../pos/ui/sign_in.py" line="60"/>
        <source>Cashier sign-in</source>
        <extracomment>The sign-in ended, signed in or refused: the window routes again (it stays here meanwhile). True until the sign-in, recovery included, has ended: the register says &quot;signed in&quot; before its recovery is done, and the next screen must wait for it.</extracomment>
        <translation>Cashier sign-in</translation>
    </message>
    <message>
        <location filename="../pos/ui/first_screen.py" line="35"/>
        <location filename="../pos/ui/sign_in.py" line="61"/>
        <source>Type your PIN and press Enter</source>
        <translation>Type your PIN and press Enter</translation>
    </message>
    <message>
        <location filename="../pos/ui/sign_in.py" line="65"/>
        <source>Training mode: the training cashier&apos;s PIN is {pin}</source>
        <translation>Training mode: the training cashier&apos;s PIN is {pin}</translation>
    </message>
    <message>
        <location filename="../pos/ui/sign_in.py" line="85"/>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../pos/ui/status_bar.py" line="28"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="30"/>
        <source>Tax service offline</source>
        <translation>Tax service offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="33"/>
        <source>Offline (by the manager)</source>
        <translation>Offline (by the manager)</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="35"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="38"/>
        <source>Uploading offline receipts…</source>
        <translation>Uploading offline receipts…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="39"/>
        <source>Going online…</source>
        <translation>Going online…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="44"/>
        <source>Receipts are fiscalised online through Checkbox.</source>
        <translation>Receipts are fiscalised online through Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="47"/>
        <source>Checkbox is reachable but the tax service is not: Checkbox issues receipts with its offline codes. Selling goes on.</source>
        <translation>Checkbox is reachable but the tax service is not: Checkbox issues receipts with its offline codes. Selling goes on.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="52"/>
        <source>Checkbox cannot be reached: receipts are fiscalised here with offline codes and uploaded later. Selling goes on.</source>
        <translation>Checkbox cannot be reached: receipts are fiscalised here with offline codes and uploaded later. Selling goes on.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="57"/>
        <source>Offline receipts are being sent, in order.</source>
        <translation>Offline receipts are being sent, in order.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="60"/>
        <source>All sent; waiting for the register to be online.</source>
        <translation>All sent; waiting for the register to be online.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="73"/>
        <source>The 36 h offline limit is reached: selling offline is stopped. Restore the connection so the receipts can be uploaded.</source>
        <translation>The 36 h offline limit is reached: selling offline is stopped. Restore the connection so the receipts can be uploaded.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="78"/>
        <source>Offline for a long time: {left} left of the 36 h limit. Restore the connection.</source>
        <translation>Offline for a long time: {left} left of the 36 h limit. Restore the connection.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="84"/>
        <source>The 168 h monthly offline limit is reached: selling offline is stopped.</source>
        <translation>The 168 h monthly offline limit is reached: selling offline is stopped.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="88"/>
        <source>Offline time this month: {left} left of 168 h.</source>
        <translation>Offline time this month: {left} left of 168 h.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="93"/>
        <source>The shift&apos;s day is over: make the Z-report (F10) now.</source>
        <translation>The shift&apos;s day is over: make the Z-report (F10) now.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="96"/>
        <source>The shift must close in {left}: make the Z-report (F10) soon.</source>
        <translation>The shift must close in {left}: make the Z-report (F10) soon.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="100"/>
        <source>Offline codes are used up ({count} left): the register cannot work offline. Restore the connection.</source>
        <translation>Offline codes are used up ({count} left): the register cannot work offline. Restore the connection.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="105"/>
        <source>Only {count} offline codes left: restore the connection to get more.</source>
        <translation>Only {count} offline codes left: restore the connection to get more.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="122"/>
        <source>Recovering {count} unfinished operation(s) from the last run…</source>
        <translation>Recovering {count} unfinished operation(s) from the last run…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="131"/>
        <source>{count} receipt(s) from before the register stopped await Checkbox&apos;s answer: do not sell them again; the register asks Checkbox by itself, and the Z-report waits for them.</source>
        <translation>{count} receipt(s) from before the register stopped await Checkbox&apos;s answer: do not sell them again; the register asks Checkbox by itself, and the Z-report waits for them.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="143"/>
        <source>{count} offline transaction(s) were refused by the server: call the manager.</source>
        <translation>{count} offline transaction(s) were refused by the server: call the manager.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="153"/>
        <source>This journal may be behind Checkbox (restored, copied or recreated): no offline receipts until the register has reconciled online.</source>
        <translation>This journal may be behind Checkbox (restored, copied or recreated): no offline receipts until the register has reconciled online.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="164"/>
        <source>Checkbox used offline codes on its own: offline receipts wait until the code pool is reconciled online.</source>
        <translation>Checkbox used offline codes on its own: offline receipts wait until the code pool is reconciled online.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="175"/>
        <source>This PC&apos;s clock differs from Checkbox&apos;s by {minutes} min: check the time; offline receipts wait until it is confirmed.</source>
        <translation>This PC&apos;s clock differs from Checkbox&apos;s by {minutes} min: check the time; offline receipts wait until it is confirmed.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="271"/>
        <source>Back office: connecting…</source>
        <translation>Back office: connecting…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="273"/>
        <source>Back office: up to date</source>
        <translation>Back office: up to date</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="275"/>
        <source>Back office: sending {count}</source>
        <translation>Back office: sending {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="277"/>
        <source>Back office: unreachable, {count} waiting</source>
        <translation>Back office: unreachable, {count} waiting</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="299"/>
        <source>Offline left: {left}</source>
        <translation>Offline left: {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="304"/>
        <source>This month: {left} of 168 h left</source>
        <translation>This month: {left} of 168 h left</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="309"/>
        <source>Codes: {count}</source>
        <translation>Codes: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="314"/>
        <source>Queue: {count}</source>
        <translation>Queue: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="317"/>
        <source>Shift: closed</source>
        <translation>Shift: closed</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="320"/>
        <source>Shift: {left} left</source>
        <translation>Shift: {left} left</translation>
    </message>
</context>
<context>
    <name>TotalsPanel</name>
    <message>
        <location filename="../pos/ui/totals.py" line="49"/>
        <source>TOTAL</source>
        <translation>TOTAL</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="63"/>
        <source>Empty receipt</source>
        <translation>Empty receipt</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="70"/>
        <source>Lines: {count}</source>
        <translation>Lines: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="73"/>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="73"/>
        <source>Extra charge</source>
        <translation>Extra charge</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="79"/>
        <source>In cash (NBU rounding): {sum}</source>
        <translation>In cash (NBU rounding): {sum}</translation>
    </message>
</context>
</TS>
